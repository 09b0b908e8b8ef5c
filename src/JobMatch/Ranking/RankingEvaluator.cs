namespace JobMatch.Ranking;

/// <param name="ScoredVacancies">Vacancies with at least one non-zero label: the NDCG means are over these.</param>
/// <param name="WomenExposureRatio">Mean of <see cref="RankingEvaluator.WomenExposure"/> over the evaluated
/// vacancies with at least one woman among their candidates (scored or not); null when there is none.</param>
/// <param name="Top10Concentration">Share of all top-10 places held by the busiest tenth of the seekers
/// that reach any top 10 (0.1 would be perfectly even; 1 means the same few everywhere).</param>
internal sealed record RankerMetrics(
    double Ndcg1,
    double Ndcg3,
    double Ndcg10,
    double? WomenExposureRatio,
    double Top10Concentration,
    int ScoredVacancies);

/// <summary>
/// Our own, tie-safe evaluation: candidates are ordered by score (descending) and ties by seeker_ref
/// (ordinal), so no figure depends on row order, unlike ML.NET's evaluator under ties.
/// </summary>
internal static class RankingEvaluator
{
    public const int TopN = 10;

    /// <param name="onRanked">Receives each vacancy's ref and full order, best first (for <c>--rankings</c>).</param>
    public static RankerMetrics Evaluate(
        IRanker ranker, IEnumerable<RankingExample> examples, IReadOnlySet<string> womenRefs,
        Action<string, IReadOnlyList<string>>? onRanked = null)
    {
        double sum1 = 0, sum3 = 0, sum10 = 0, exposureSum = 0;
        int scored = 0, exposureVacancies = 0;
        var topCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        var groups = examples
            .GroupBy(e => e.VacancyRef, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var group in groups)
        {
            var candidates = group.OrderBy(e => e.SeekerRef, StringComparer.Ordinal).ToList();
            var scores = ranker.Score(group.Key, candidates.Select(c => new RankingCandidate(c.SeekerRef, c.Features)).ToList());
            var ranked = Order(candidates.Select((c, i) => (c.SeekerRef, scores[i], c.Label)).ToList());
            onRanked?.Invoke(group.Key, ranked.Select(r => r.SeekerRef).ToList());
            if (ranked.Any(r => r.Label > 0))
            {
                scored++;
                sum1 += Ndcg(ranked, 1);
                sum3 += Ndcg(ranked, 3);
                sum10 += Ndcg(ranked, 10);
            }

            if (WomenExposure(ranked, womenRefs) is { } exposure)
            {
                exposureVacancies++;
                exposureSum += exposure;
            }

            foreach (var r in ranked.Take(TopN))
            {
                topCounts[r.SeekerRef] = topCounts.GetValueOrDefault(r.SeekerRef) + 1;
            }
        }

        return new RankerMetrics(
            scored == 0 ? 0 : sum1 / scored,
            scored == 0 ? 0 : sum3 / scored,
            scored == 0 ? 0 : sum10 / scored,
            exposureVacancies == 0 ? null : exposureSum / exposureVacancies,
            Concentration(topCounts.Values),
            scored);
    }

    /// <summary>Best first: score descending, then seeker_ref ascending (ordinal).</summary>
    public static List<(string SeekerRef, float Score, int Label)> Order(IEnumerable<(string SeekerRef, float Score, int Label)> items) =>
        items
            .OrderByDescending(i => float.IsNaN(i.Score) ? float.NegativeInfinity : i.Score)
            .ThenBy(i => i.SeekerRef, StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// NDCG@k of an already ordered list (see <see cref="Order"/>): gain 2^label - 1, discount
    /// log2(position + 1) for positions 1, 2, ...; 0 when no label is positive.
    /// </summary>
    public static double Ndcg(IReadOnlyList<(string SeekerRef, float Score, int Label)> ranked, int k)
    {
        var dcg = Dcg(ranked.Select(r => r.Label), k);
        var ideal = Dcg(ranked.Select(r => r.Label).OrderByDescending(l => l), k);
        return ideal == 0 ? 0 : dcg / ideal;
    }

    /// <summary>
    /// (share of women, gender F, in the top 10, or the whole list when shorter) divided by (share of
    /// women among all candidates); null when the vacancy has no woman among its candidates.
    /// 1 means women are shown as often as they are in the pool.
    /// </summary>
    public static double? WomenExposure(IReadOnlyList<(string SeekerRef, float Score, int Label)> ranked, IReadOnlySet<string> womenRefs)
    {
        var women = ranked.Count(r => womenRefs.Contains(r.SeekerRef));
        if (women == 0)
        {
            return null;
        }

        var top = ranked.Take(TopN).ToList();
        var womenInTop = top.Count(r => womenRefs.Contains(r.SeekerRef));
        return ((double)womenInTop / top.Count) / ((double)women / ranked.Count);
    }

    /// <summary>Share of all places held by the busiest 10% (rounded up) of the seekers that hold any.</summary>
    public static double Concentration(IEnumerable<int> placesPerSeeker)
    {
        var counts = placesPerSeeker.OrderByDescending(c => c).ToList();
        var total = counts.Sum();
        if (total == 0)
        {
            return 0;
        }

        var busiest = (int)Math.Ceiling(counts.Count * 0.1);
        return (double)counts.Take(busiest).Sum() / total;
    }

    private static double Dcg(IEnumerable<int> labels, int k)
    {
        double dcg = 0;
        var position = 1;
        foreach (var label in labels.Take(k))
        {
            dcg += (Math.Pow(2, label) - 1) / Math.Log2(position + 1);
            position++;
        }

        return dcg;
    }
}
