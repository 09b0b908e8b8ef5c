using JobMatch.Matching;
using JobMatch.MatchingContract;

namespace JobMatch.Tests.Matching;

public sealed class MatchStatusTests
{
    public static TheoryData<string, string, bool> EveryPair()
    {
        string[][] allowed =
        [
            ["proposed", "approved"], ["proposed", "skipped"], ["proposed", "shown"], ["proposed", "withdrawn"],
            ["approved", "shown"], ["approved", "withdrawn"],
            ["shown", "invited"], ["shown", "not_selected"], ["shown", "withdrawn"],
            ["invited", "accepted"], ["invited", "declined"], ["invited", "withdrawn"],
            ["accepted", "interviewed"], ["accepted", "hired"], ["accepted", "not_selected"], ["accepted", "withdrawn"],
            ["interviewed", "hired"], ["interviewed", "not_selected"], ["interviewed", "withdrawn"],
        ];
        var data = new TheoryData<string, string, bool>();
        foreach (var from in MatchStatus.All)
        {
            foreach (var to in MatchStatus.All)
            {
                data.Add(from, to, allowed.Any(a => a[0] == from && a[1] == to));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void CanMove_AllowsOnlyTheTransitionsThatMakeSense(string from, string to, bool expected) =>
        Assert.Equal(expected, MatchStatus.CanMove(from, to));

    [Fact]
    public void FinalStates_HaveNoWayOut()
    {
        foreach (var final in new[] { "skipped", "declined", "hired", "not_selected", "withdrawn" })
        {
            Assert.Empty(MatchStatus.NextStates(final));
        }
    }

    [Theory]
    [InlineData("hired", 3)]
    [InlineData("interviewed", 2)]
    [InlineData("invited", 1)]
    [InlineData("accepted", 1)]
    [InlineData("not_selected", 0)]
    [InlineData("declined", 0)]
    public void Label_FollowsTheWorldFormat(string status, int label) => Assert.Equal(label, MatchStatus.Label(status));

    [Fact]
    public void Label_IsNull_WhenNothingHasHappenedYet() => Assert.Null(MatchStatus.Label("proposed"));
}
