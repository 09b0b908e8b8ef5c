namespace JobMatch.Ranking;

internal sealed record ClosedLoopOptions
{
    public int Rounds { get; init; } = 10;
    public double ExplorationShare { get; init; } = 0.1;
    public int Shown { get; init; } = 10;
    public int Seed { get; init; } = 1;

    /// <summary>Weight logged positives by inverse examination propensity (off: learn from the log as it is).</summary>
    public bool Weighted { get; init; } = true;

    public RankingTrainerOptions Trainer { get; init; } = new();
}

/// <param name="ServingNdcg10">NDCG@10 of the serving ranker over the whole pools of held-out vacancies, against the
/// simulator's hidden relevance (what the model would give if it showed whole pools).</param>
/// <param name="ShownNdcg10">NDCG@10 of the lists actually shown this round, exploration included (what employers got).</param>
internal sealed record ClosedLoopRound(int Round, string Serving, double ServingNdcg10, double ShownNdcg10, double? WomenExposureRatio);

/// <summary>
/// The platform's learning loop on a simulated world: each round a new batch of vacancies is ranked by the serving
/// ranker (the rule ranker at first), the top <see cref="ClosedLoopOptions.Shown"/> are shown with exploration
/// (<see cref="ExplorationPolicy"/>), employers examine position i with probability 1/i and only examined candidates
/// get their (hidden) outcome, and a model retrained on all logs so far (positives weighted by inverse examination
/// propensity, estimated from the exploratory slots) serves the next round. Held-out vacancies measure the serving
/// ranker on whole pools each round, against relevance the loop never sees.
/// </summary>
internal static class ClosedLoopSimulation
{
    public static IReadOnlyList<ClosedLoopRound> Run(World full, ClosedLoopOptions options, TextWriter log)
    {
        var dataset = RankingDataset.FromWorld(full);
        var byVacancy = dataset.Examples.GroupBy(e => e.VacancyRef, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(e => e.SeekerRef, StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var (learn, heldOut) = RankingDataset.SplitVacancies(byVacancy.Keys, 0.2, options.Seed);
        var evaluation = heldOut.SelectMany(v => byVacancy[v]).ToList();
        var batches = learn.OrderBy(v => StableHash.Of($"{options.Seed}\u001f{v}")).ThenBy(v => v, StringComparer.Ordinal)
            .Select((v, i) => (v, i)).GroupBy(x => x.i % options.Rounds, x => x.v).OrderBy(g => g.Key).ToList();
        var random = new Random(options.Seed);
        IRanker serving = new RuleRanker();
        var servingName = "rule";
        var logs = new List<RankingExample>();
        var rounds = new List<ClosedLoopRound>();
        foreach (var batch in batches)
        {
            var shownNdcg = new List<double>();
            foreach (var vacancy in batch.OrderBy(v => v, StringComparer.Ordinal))
            {
                var pool = byVacancy[vacancy];
                var scores = serving.Score(vacancy, pool.Select(e => new RankingCandidate(e.SeekerRef, e.Features)).ToList());
                var ranked = RankingEvaluator.Order(pool.Select((e, i) => (e.SeekerRef, scores[i], e.Label))).Select(r => r.SeekerRef).ToList();
                var shown = ExplorationPolicy.Fill(ranked, options.Shown, options.ExplorationShare, random);
                var hidden = pool.ToDictionary(e => e.SeekerRef, StringComparer.Ordinal);
                foreach (var slot in shown)
                {
                    var examined = random.NextDouble() < 1.0 / slot.Position;
                    var truth = hidden[slot.SeekerRef];
                    logs.Add(truth with { Label = examined ? truth.Label : 0, Position = slot.Position, Randomized = slot.Exploratory });
                }

                var shownList = shown.Select(s => (s.SeekerRef, 0f, hidden[s.SeekerRef].Label)).ToList();
                var ideal = pool.Select(e => (e.SeekerRef, 0f, e.Label)).OrderByDescending(e => e.Label).ToList();
                if (ideal.Any(e => e.Label > 0))
                {
                    // Against the best possible list from the whole pool, not just the shown candidates.
                    shownNdcg.Add(Dcg10(shownList) / Dcg10(ideal));
                }
            }

            var metrics = RankingEvaluator.Evaluate(serving, evaluation, dataset.WomenRefs);
            rounds.Add(new ClosedLoopRound(rounds.Count + 1, servingName, metrics.Ndcg10, shownNdcg.Count == 0 ? 0 : shownNdcg.Average(), metrics.WomenExposureRatio));
            log.WriteLine($"round {rounds.Count}: served by {servingName}, whole-pool NDCG@10 {metrics.Ndcg10:F4}, shown lists {rounds[^1].ShownNdcg10:F4}, logs {logs.Count} rows");
            if (logs.Any(e => e.Label > 0))
            {
                var propensity = options.Weighted ? ExaminationPropensity.Estimate(logs) : null;
                try
                {
                    serving = new RankingTrainer(options.Trainer).Train(logs, propensity is null ? null : propensity.Weight);
                    servingName = "model";
                }
                catch (InvalidOperationException e)
                {
                    // A small world's first rounds log too little to learn from: the next round is served as this one was.
                    log.WriteLine($"round {rounds.Count}: {e.Message} The next round is served by {servingName} again.");
                }
            }
        }

        return rounds;
    }

    private static double Dcg10(IReadOnlyList<(string, float, int Label)> list) =>
        list.Take(10).Select((e, i) => (Math.Pow(2, e.Label) - 1) / Math.Log2(i + 2)).Sum();
}
