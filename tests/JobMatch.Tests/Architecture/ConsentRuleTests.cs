using System.Text.RegularExpressions;

namespace JobMatch.Tests.Architecture;

/// <summary>
/// "Consent is active" is defined once, by the view active_consent (migration 1900). Outside the Consent folder code
/// asks whether a consent is active through that view only (reads of the history, such as a seeker's last activity,
/// and erasure are not such questions), and nowhere is the condition written out again.
/// </summary>
public sealed partial class ConsentRuleTests
{
    [Fact]
    public void ActiveConsentChecks_OutsideConsent_GoThroughTheView()
    {
        var files = Folders.SourceFiles().ToList();
        var offenders = files.Where(f => f.Folder != "Consent" && NotWithdrawn().IsMatch(f.Text)).Select(f => f.Path);
        var viewUsers = files.Where(f => f.Text.Contains("active_consent", StringComparison.Ordinal)).Select(f => f.Folder).ToHashSet();

        Assert.Empty(offenders);
        Assert.Superset(new HashSet<string> { "Consent", "Matching", "Notifications" }, viewUsers);
    }

    [Fact]
    public void ActiveCondition_IsWrittenNowhereInSrc()
    {
        var offenders = Folders.SourceFiles().Where(f => ActiveCondition().IsMatch(f.Text)).Select(f => f.Path);

        Assert.Empty(offenders);
    }

    [Theory]
    [InlineData("WHERE c.purpose = 'notifications' AND c.withdrawn_at IS NULL", true, false)]
    [InlineData("AND withdrawn_at is null AND (expires_at IS NULL OR expires_at > now())", true, true)]
    [InlineData("AND (c.expires_at IS NULL OR c.expires_at > now())", false, true)]
    [InlineData("FROM active_consent c WHERE c.purpose = 'notifications'", false, false)]
    public void Patterns_SeeTheActiveCondition_WhenWrittenOut(string sql, bool notWithdrawn, bool active)
    {
        Assert.Equal(notWithdrawn, NotWithdrawn().IsMatch(sql));
        Assert.Equal(active, ActiveCondition().IsMatch(sql));
    }

    [GeneratedRegex(@"withdrawn_at\s+IS\s+NULL", RegexOptions.IgnoreCase)]
    private static partial Regex NotWithdrawn();

    [GeneratedRegex(@"expires_at\s+IS\s+NULL\s+OR\s+\w*\.?expires_at\s*>\s*now\(\)", RegexOptions.IgnoreCase)]
    private static partial Regex ActiveCondition();
}
