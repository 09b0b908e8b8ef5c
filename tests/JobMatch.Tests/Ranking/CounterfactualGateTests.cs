using JobMatch.Matching;
using JobMatch.Ranking;
using Xunit.Abstractions;

namespace JobMatch.Tests.Ranking;

/// <summary>
/// The promotion gate on logged outcomes (issue 21): judged by NDCG on the logged labels as they are, a ranker that
/// copies the logging order looks best, because the positive outcomes sit where that order put people and employers
/// looked. The inverse-propensity estimate must see through it.
/// </summary>
public sealed class CounterfactualGateTests(ITestOutputHelper output)
{
    /// <summary>Orders by one feature slot.</summary>
    private sealed class SlotRanker(int slot) : IRanker
    {
        public IReadOnlyList<float> Score(string vacancyRef, IReadOnlyList<RankingCandidate> candidates) => candidates.Select(c => c.Features[slot]).ToList();
        public IReadOnlyList<FeatureReason> Explain(float[] features, int count = 3) => [];
    }

    /// <summary>
    /// A log built so the naive gate is misled: each vacancy shows 10 candidates in the order of slot 0 (the logging
    /// ranker); four of them are relevant, at positions 1, 2, 9 and 10, and slot 1 ranks exactly those four first
    /// (the two shown low highest). Position i is looked at with probability 1/i, and only a looked-at relevant
    /// candidate gets a positive outcome. A fifth of the lists were shown in random order (exploratory slots), which
    /// is what examination by position is estimated from. Truth: slot 1 puts every relevant candidate in the top 4,
    /// slot 0 puts two of them at 9 and 10.
    /// </summary>
    private static List<RankingExample> MisleadingLog(int seed)
    {
        var random = new Random(seed);
        var examples = new List<RankingExample>();
        for (var v = 0; v < 800; v++)
        {
            var randomized = v % 5 == 0;
            var positions = Enumerable.Range(1, 10).ToArray();
            if (randomized) positions = positions.OrderBy(_ => random.Next()).ToArray();
            for (var c = 0; c < 10; c++)
            {
                var loggingRank = c + 1; // where the logging ranker would put it
                var relevant = loggingRank is 1 or 2 or 9 or 10;
                var position = positions[c];
                var features = new float[RankingFeatures.Names.Count()];
                features[0] = 10 - loggingRank;
                features[1] = loggingRank switch { 9 or 10 => 0.9f, 1 or 2 => 0.8f, _ => 0.1f * random.NextSingle() };
                var label = relevant && random.NextDouble() < 1.0 / position ? 1 : 0;
                examples.Add(new RankingExample($"v{v:D4}", $"s{v:D4}-{c:D2}", features, label, position, randomized));
            }
        }
        return examples;
    }

    [Fact]
    public void Judge_PromotesTheRankerThatFindsWhoWasShownLow_WhenTheNaiveGateKeepsTheLoggingOrder()
    {
        var log = MisleadingLog(3);
        var truth = new SlotRanker(1);
        var logging = new SlotRanker(0);
        var propensity = ExaminationPropensity.Estimate(log);

        var naive = ModelRegistry.Judge(truth, logging, log, null);
        var weighted = ModelRegistry.Judge(truth, logging, log, propensity);

        output.WriteLine($"naive: new {naive.New:F4} active {naive.Active:F4}; IPS: new {weighted.New:F4} active {weighted.Active:F4}; " +
                         $"theta {string.Join(" ", propensity!.ByPosition.Select(t => t.ToString("F2")))}");
        Assert.Equal(ModelRegistry.LoggedLabels, naive.Gate);
        Assert.False(naive.Promote, "the naive gate should be misled into keeping the logging order");
        Assert.Equal(ModelRegistry.InversePropensity, weighted.Gate);
        Assert.True(weighted.Promote, $"IPS: new {weighted.New:F4} should not be worse than active {weighted.Active:F4}");
    }

    [Fact]
    public void Judge_KeepsTheActiveRanker_WhenTheNewOneIsWorseOnTheLog()
    {
        // The other direction, so the gate is not simply "promote": the logging order against a ranker worse than it.
        var log = MisleadingLog(4);
        var reversed = new SlotRanker(2); // slot 2 is 0 everywhere: ties, broken by reference, which here is the logging order

        var weighted = ModelRegistry.Judge(reversed, new SlotRanker(1), log, ExaminationPropensity.Estimate(log));

        Assert.False(weighted.Promote, $"IPS: new {weighted.New:F4} against active {weighted.Active:F4}");
    }

    [Fact]
    public void Weight_CountsAnExploratoryPositiveForThoseNotDrawn_ClippedAtTen()
    {
        var propensity = ExaminationPropensity.Estimate(MisleadingLog(6))!;
        var features = new float[RankingFeatures.Names.Count()];
        var top = new RankingExample("v", "a", features, 1, Position: 1, Randomized: true, ShownPropensity: 0.5);
        var deep = new RankingExample("v", "b", features, 1, Position: 10, Randomized: true, ShownPropensity: 0.15);
        var negative = top with { Label = 0 };

        Assert.Equal(2f, propensity.Weight(top), 3);
        Assert.Equal(10f, propensity.Weight(deep), 3);
        Assert.Equal(1f, propensity.Weight(negative));
    }

    [Fact]
    public void Draw_IsTheSameForTheSameSeed_AndTakesOnlyFromTheWindow()
    {
        var below = Enumerable.Range(1, 35).Select(i => $"r{i:D2}").ToList();

        var first = ExplorationPolicy.Draw(below, 3, 30, "7\u001f2026-12-02\u001f41");
        var again = ExplorationPolicy.Draw(below, 3, 30, "7\u001f2026-12-02\u001f41");
        var otherSeeds = Enumerable.Range(0, 10).Select(s => ExplorationPolicy.Draw(below, 3, 30, $"{s}\u001f2026-12-02\u001f41")).ToList();

        Assert.Equal(first.Drawn, again.Drawn);
        Assert.Equal(first.Positions, again.Positions);
        Assert.Equal(3.0 / ExplorationPolicy.ExplorationDepth, first.Propensity);
        Assert.All(otherSeeds.Append(first), d => Assert.All(d.Drawn, i => Assert.InRange(i, 0, ExplorationPolicy.ExplorationDepth - 1)));
        Assert.All(otherSeeds.Append(first), d => Assert.Equal(d.Positions.Order(), d.Positions));
        Assert.Contains(otherSeeds, d => !d.Drawn.SequenceEqual(first.Drawn));
    }
}
