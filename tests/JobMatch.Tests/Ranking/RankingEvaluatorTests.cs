using JobMatch.Ranking;

namespace JobMatch.Tests.Ranking;

public sealed class RankingEvaluatorTests
{
    [Fact]
    public void Ndcg_MatchesAHandComputedExample()
    {
        // Ranked labels 0, 3, 1. DCG@3 = 0 + 7/log2(3) + 1/log2(4); ideal 3, 1, 0 = 7 + 1/log2(3).
        var ranked = RankingEvaluator.Order([("a", 0.9f, 0), ("b", 0.5f, 3), ("c", 0.1f, 1)]);

        Assert.Equal(0, RankingEvaluator.Ndcg(ranked, 1), 6);
        Assert.Equal((7 / Math.Log2(3)) / (7 + 1 / Math.Log2(3)), RankingEvaluator.Ndcg(ranked, 2), 6);
        Assert.Equal(0.644288, RankingEvaluator.Ndcg(ranked, 3), 5);
        Assert.Equal(RankingEvaluator.Ndcg(ranked, 3), RankingEvaluator.Ndcg(ranked, 10), 9);
    }

    [Fact]
    public void Ndcg_IsOne_ForThePerfectOrder_AndZero_WithoutPositiveLabels()
    {
        var perfect = RankingEvaluator.Order([("a", 3f, 3), ("b", 2f, 2), ("c", 1f, 0)]);
        var nothing = RankingEvaluator.Order([("a", 3f, 0), ("b", 2f, 0)]);

        Assert.Equal(1, RankingEvaluator.Ndcg(perfect, 10), 9);
        Assert.Equal(0, RankingEvaluator.Ndcg(nothing, 10));
    }

    [Fact]
    public void Order_BreaksScoreTiesBySeekerRef_WhateverTheInputOrder()
    {
        (string, float, int)[] rows = [("s3", 1f, 0), ("s1", 1f, 2), ("s2", 1f, 0), ("s0", 2f, 0)];

        var forward = RankingEvaluator.Order(rows);
        var backward = RankingEvaluator.Order(rows.Reverse());

        Assert.Equal(["s0", "s1", "s2", "s3"], forward.Select(r => r.SeekerRef));
        Assert.Equal(forward, backward);
        // s1 (label 2) is second: DCG@2 = 3/log2(3), ideal 3.
        Assert.Equal(1 / Math.Log2(3), RankingEvaluator.Ndcg(forward, 2), 6);
    }

    [Fact]
    public void Evaluate_GivesTheSameFigures_WhenRowsArriveShuffled()
    {
        var examples = Enumerable.Range(0, 60)
            .Select(i => new RankingExample($"v{i % 6}", $"s{i:D2}", [i % 4], i % 7 == 0 ? 2 : i % 5 == 0 ? 1 : 0))
            .ToList();
        var shuffled = examples.OrderBy(e => StableHash.Of(e.SeekerRef)).ToList();
        var tiesEverywhere = new ConstantRanker();

        var sorted = RankingEvaluator.Evaluate(tiesEverywhere, examples, new HashSet<string> { "s01", "s07" });
        var mixed = RankingEvaluator.Evaluate(tiesEverywhere, shuffled, new HashSet<string> { "s01", "s07" });

        Assert.Equal(sorted, mixed);
    }

    [Fact]
    public void Evaluate_AveragesOnlyOverVacanciesWithAPositiveLabel()
    {
        RankingExample[] examples =
        [
            new("v1", "a", [2f], 1), new("v1", "b", [1f], 0),   // perfect: 1
            new("v2", "a", [1f], 1), new("v2", "b", [2f], 0),   // reversed: 1/log2(3)
            new("v3", "a", [1f], 0), new("v3", "b", [2f], 0),   // nothing to find: not averaged
        ];

        var metrics = RankingEvaluator.Evaluate(new FirstFeatureRanker(), examples, new HashSet<string>());

        Assert.Equal(2, metrics.ScoredVacancies);
        Assert.Equal((1 + 1 / Math.Log2(3)) / 2, metrics.Ndcg10, 6);
        Assert.Equal(0.5, metrics.Ndcg1, 6);
        Assert.Null(metrics.WomenExposureRatio);
    }

    [Fact]
    public void WomenExposure_ComparesTopTenWithThePool()
    {
        var women = Enumerable.Range(0, 10).Select(i => $"w{i}").ToHashSet();
        var pool = women.Select(w => (w, 1f, 0)).Concat(Enumerable.Range(0, 10).Select(i => ($"m{i}", 0f, 0)));
        var womenFirst = RankingEvaluator.Order(pool);
        var menFirst = RankingEvaluator.Order(pool.Select(p => (p.Item1, -p.Item2, 0)));
        var onlyMen = RankingEvaluator.Order([("m1", 1f, 0), ("m2", 0f, 0)]);
        var short5 = RankingEvaluator.Order([("w0", 1f, 0), ("m1", 0.5f, 0), ("m2", 0f, 0)]);

        Assert.Equal(2.0, RankingEvaluator.WomenExposure(womenFirst, women));
        Assert.Equal(0.0, RankingEvaluator.WomenExposure(menFirst, women));
        Assert.Null(RankingEvaluator.WomenExposure(onlyMen, women));
        Assert.Equal(1.0, RankingEvaluator.WomenExposure(short5, women)!.Value, 9);
    }

    [Fact]
    public void Concentration_IsTheBusiestTenthsShareOfPlaces()
    {
        Assert.Equal(5.0 / 14, RankingEvaluator.Concentration([1, 1, 5, 1, 1, 1, 1, 1, 1, 1]), 9);
        Assert.Equal(0.1, RankingEvaluator.Concentration(Enumerable.Repeat(3, 20)), 9);
        Assert.Equal(0, RankingEvaluator.Concentration([]));
    }

    private sealed class ConstantRanker : IRanker
    {
        public IReadOnlyList<float> Score(string vacancyRef, IReadOnlyList<RankingCandidate> candidates) =>
            candidates.Select(_ => 0f).ToArray();

        public IReadOnlyList<FeatureReason> Explain(float[] features, int count = 3) => [];
    }

    private sealed class FirstFeatureRanker : IRanker
    {
        public IReadOnlyList<float> Score(string vacancyRef, IReadOnlyList<RankingCandidate> candidates) =>
            candidates.Select(c => c.Features[0]).ToArray();

        public IReadOnlyList<FeatureReason> Explain(float[] features, int count = 3) => [];
    }
}
