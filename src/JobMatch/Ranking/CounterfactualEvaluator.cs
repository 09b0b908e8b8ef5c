namespace JobMatch.Ranking;

/// <summary>
/// NDCG@k of a ranking judged on a log, where labels exist only for shown candidates and a candidate shown low was
/// looked at less often (issue 21). NDCG on the logged labels as they are favours whichever ranker resembles the one
/// that made the log: its high positions are where the positive outcomes could happen. The inverse-propensity (IPS)
/// estimate weights each logged outcome by one over the chance it was looked at (<see cref="ExaminationPropensity.Weight"/>),
/// so a positive found at position 9 counts for the ones like it there that nobody looked at; the ranking under test
/// then orders each vacancy's logged candidates, and the sum over vacancies of its DCG of the weighted gains (an
/// unbiased estimate of its DCG under examination by position) is divided by the sum of the best DCG those weighted
/// gains allow: a figure in [0, 1], with the same divisor for every ranker judged on the same log. Not divided per
/// vacancy: that would cap what a rare, heavily weighted positive found far down can count for, which is the very
/// correction the weights make. Never-shown candidates are unlabelled and take no part.
/// </summary>
internal static class CounterfactualEvaluator
{
    /// <param name="weight">Weight of each logged example's gain (<see cref="ExaminationPropensity.Weight"/>); null: each counts once.</param>
    public static double Ndcg(IRanker ranker, IEnumerable<RankingExample> examples, Func<RankingExample, float>? weight, int k = RankingEvaluator.TopN)
    {
        double dcg = 0, best = 0;
        foreach (var group in examples.Where(e => e.Shown).GroupBy(e => e.VacancyRef, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var candidates = group.OrderBy(e => e.SeekerRef, StringComparer.Ordinal).ToList();
            var gains = candidates.ToDictionary(e => e.SeekerRef, e => (Math.Pow(2, e.Label) - 1) * (weight?.Invoke(e) ?? 1f), StringComparer.Ordinal);
            var ideal = Dcg(gains.Values.OrderByDescending(g => g), k);
            if (ideal <= 0) continue;
            var scores = ranker.Score(group.Key, candidates.Select(c => new RankingCandidate(c.SeekerRef, c.Features)).ToList());
            var order = RankingEvaluator.Order(candidates.Select((c, i) => (c.SeekerRef, scores[i], c.Label)));
            dcg += Dcg(order.Select(o => gains[o.SeekerRef]), k);
            best += ideal;
        }
        return best == 0 ? 0 : dcg / best;
    }

    private static double Dcg(IEnumerable<double> gains, int k) => gains.Take(k).Select((g, i) => g / Math.Log2(i + 2)).Sum();
}
