namespace JobMatch.Ranking;

/// <summary>
/// Orders one vacancy's candidates. An interface because there are three real implementations that
/// callers swap: <see cref="ModelRanker"/> (the trained model), <see cref="RuleRanker"/> (before a model
/// exists, and the fallback when it is missing or corrupt) and <see cref="RandomRanker"/> (the
/// evaluation baseline). Serving and evaluation hold "a ranker" without caring which.
/// </summary>
internal interface IRanker
{
    /// <summary>
    /// One score per candidate, in the candidates' order; higher ranks first. Scores only order the
    /// candidates of one vacancy: never show them as a "match %".
    /// </summary>
    IReadOnlyList<float> Score(string vacancyRef, IReadOnlyList<RankingCandidate> candidates);

    /// <summary>
    /// The features that moved this candidate's score most, largest first, as names and directions
    /// only (no values, so no personal data); the caller phrases them in English or Bangla.
    /// </summary>
    IReadOnlyList<FeatureReason> Explain(float[] features, int count = 3);

    /// <summary>
    /// <see cref="Explain"/> for several candidates at once, in their order. The model overrides it with one batch
    /// (one ML.NET Transform per call has a fixed cost of milliseconds, paid 30 times per vacancy otherwise).
    /// </summary>
    IReadOnlyList<IReadOnlyList<FeatureReason>> ExplainAll(IReadOnlyList<float[]> features, int count = 3) =>
        features.Select(f => Explain(f, count)).ToList();
}

/// <param name="Features">From <see cref="RankingFeatures.Compute"/>, slots as in <see cref="RankingFeatures.Names"/>.</param>
internal sealed record RankingCandidate(string SeekerRef, float[] Features);

/// <param name="Feature">A name from <see cref="RankingFeatures.Names"/>.</param>
/// <param name="Direction">+1 when the feature raised the candidate's score, -1 when it lowered it.</param>
internal sealed record FeatureReason(string Feature, int Direction);

internal static class FeatureReasons
{
    /// <summary>The largest non-zero contributions by magnitude; ties broken by feature order.</summary>
    public static IReadOnlyList<FeatureReason> Top(ReadOnlySpan<float> contributions, int count)
    {
        var order = new List<(int Index, float Value)>();
        for (var i = 0; i < contributions.Length; i++)
        {
            if (contributions[i] != 0 && !float.IsNaN(contributions[i]))
            {
                order.Add((i, contributions[i]));
            }
        }

        return order
            .OrderByDescending(c => Math.Abs(c.Value))
            .ThenBy(c => c.Index)
            .Take(count)
            .Select(c => new FeatureReason(RankingFeatures.Names[c.Index], Math.Sign(c.Value)))
            .ToList();
    }
}
