using System.Diagnostics;
using Dapper;
using JobMatch.Ranking;

namespace JobMatch.Benchmarks;

/// <summary>
/// B5: the product's trainer (<see cref="RankingTrainer"/>, its default options) on the world's simulated outcomes,
/// LightGBM against FastTree, NDCG@10 on held-out vacancies by the product's tie-safe evaluator. The LightGBM model
/// is then registered as the active one, so B2-B4 serve it exactly as production would.
/// </summary>
internal sealed class TrainingBench(BenchRun run)
{
    public async Task RunAsync(bool report)
    {
        var dataset = RankingDataset.FromWorld(run.World.World);
        var (trainRefs, testRefs) = RankingDataset.SplitVacancies(dataset.Examples.Select(e => e.VacancyRef), 0.2, BenchWorld.Seed);
        var train = dataset.Examples.Where(e => trainRefs.Contains(e.VacancyRef)).ToList();
        var test = dataset.Examples.Where(e => testRefs.Contains(e.VacancyRef)).ToList();
        run.Log($"training rows {train.Count:N0} ({trainRefs.Count:N0} vacancies), held out {test.Count:N0} ({testRefs.Count:N0} vacancies)");

        var clock = Stopwatch.StartNew();
        var lightGbm = new RankingTrainer(new RankingTrainerOptions { Algorithm = RankingAlgorithm.LightGbm, Seed = BenchWorld.Seed }).Train(train);
        var lightGbmSeconds = clock.Elapsed.TotalSeconds;
        // Serve what production serves: the model as loaded back from the registry's bytes.
        var bytes = await RegisterAsync(lightGbm, train.Count, trainRefs.Count);
        run.UseModel(ModelRanker.TryLoad(bytes) ?? throw new InvalidOperationException("The registered model does not load."));
        if (!report) return;

        clock.Restart();
        var fastTree = new RankingTrainer(new RankingTrainerOptions { Algorithm = RankingAlgorithm.FastTree, Seed = BenchWorld.Seed }).Train(train);
        var fastTreeSeconds = clock.Elapsed.TotalSeconds;

        var w = run.Report.Add("B5", $"Training on {train.Count:N0} rows ({trainRefs.Count:N0} vacancies), NDCG@10 on {testRefs.Count:N0} held-out vacancies");
        w.Metric("train_rows", train.Count);
        w.Metric("train_s", lightGbmSeconds);
        w.Metric("ndcg_at_10", RankingEvaluator.Evaluate(lightGbm, test, dataset.WomenRefs).Ndcg10);
        w.Peer("FastTree", "train_s", fastTreeSeconds);
        w.Peer("FastTree", "ndcg_at_10", RankingEvaluator.Evaluate(fastTree, test, dataset.WomenRefs).Ndcg10);
        w.Peer("rule ranker", "ndcg_at_10", RankingEvaluator.Evaluate(new RuleRanker(), test, dataset.WomenRefs).Ndcg10);
        w.Peer("hidden utility", "ndcg_at_10", RankingEvaluator.Evaluate(new UtilityRanker(run.World), test, dataset.WomenRefs).Ndcg10);
        w.Notes.Add("JobMatch = LightGBM LambdaRank with the product's defaults (200 rounds, 7 leaves, 1 thread). Labels are the simulator's outcomes " +
                    "(hired 3, interviewed 2, shortlisted 1), which carry noise the features cannot see; 'hidden utility' ranks by the noiseless truth.");
    }

    private async Task<byte[]> RegisterAsync(ModelRanker model, int rows, int vacancies)
    {
        var bytes = model.ToBytes();
        await using var c = await run.DataSource.OpenConnectionAsync();
        await c.ExecuteAsync(
            """
            UPDATE ranking_model SET active = false WHERE active;
            INSERT INTO ranking_model (trained_from, training_rows, training_vacancies, metrics, feature_names, model, active)
            VALUES ('simulated_world', @rows, @vacancies, '{}'::jsonb, @names, @bytes, true)
            """, new { rows, vacancies, names = RankingFeatures.Names, bytes });
        return bytes;
    }
}

/// <summary>Ranks by the world's noiseless hidden utility: the best any ranker could do on these labels.</summary>
internal sealed class UtilityRanker(BenchWorld world) : IRanker
{
    private readonly Dictionary<string, SeekerRankingProfile> _seekers = world.Seekers.ToDictionary(s => s.SeekerRef, s => s.Profile, StringComparer.Ordinal);
    private readonly Dictionary<string, VacancyProfile> _vacancies = world.Vacancies.ToDictionary(v => v.VacancyRef, v => v.Profile, StringComparer.Ordinal);

    public IReadOnlyList<float> Score(string vacancyRef, IReadOnlyList<RankingCandidate> candidates) =>
        candidates.Select(c => (float)SimulatedUtility.Of(_seekers[c.SeekerRef], _vacancies[vacancyRef])).ToArray();

    public IReadOnlyList<FeatureReason> Explain(float[] features, int count = 3) => [];
}
