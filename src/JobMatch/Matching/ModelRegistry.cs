using System.Text.Json;
using Dapper;
using JobMatch.Ranking;
using Npgsql;

namespace JobMatch.Matching;

/// <summary>
/// The ranking-model registry in PostgreSQL. A newly trained model is always recorded with its metrics, and becomes
/// the active one only if it ranks the held-out vacancies at least as well (NDCG@10) as the model in use.
/// </summary>
internal sealed class ModelRegistry(NpgsqlDataSource db, ILogger<ModelRegistry> logger)
{
    public const string SimulatedWorld = "simulated_world";
    public const string RecordedOutcomes = "recorded_outcomes";

    public sealed record Registered(int Version, bool Promoted, double ModelNdcg10, double? ActiveNdcg10, double RuleNdcg10, double? WomenExposureRatio);

    public sealed class ModelInfo
    {
        public int Version { get; set; }
        public DateTime TrainedAt { get; set; }
        public string TrainedFrom { get; set; } = "";
        public int TrainingRows { get; set; }
        public int TrainingVacancies { get; set; }
        public string Metrics { get; set; } = "{}";
        public double? WomenExposureRatio { get; set; }
        public bool Active { get; set; }
    }

    public async Task<Registered> TrainAndRegisterAsync(IReadOnlyList<RankingExample> examples, IReadOnlySet<string> womenRefs,
        string trainedFrom, int seed, CancellationToken ct)
    {
        var (trainRefs, testRefs) = RankingDataset.SplitVacancies(examples.Select(e => e.VacancyRef), 0.2, seed);
        var train = examples.Where(e => trainRefs.Contains(e.VacancyRef)).ToList();
        var test = examples.Where(e => testRefs.Contains(e.VacancyRef)).ToList();
        if (train.Count == 0 || test.Count == 0 || !train.Any(e => e.Label > 0))
        {
            throw new InvalidOperationException("Too few labelled outcomes to train and check a model.");
        }

        var model = new RankingTrainer(new RankingTrainerOptions { Seed = seed }).Train(train);
        var modelMetrics = RankingEvaluator.Evaluate(model, test, womenRefs);
        var ruleMetrics = RankingEvaluator.Evaluate(new RuleRanker(), test, womenRefs);

        await using var connection = await db.OpenConnectionAsync(ct);
        var activeBytes = await connection.ExecuteScalarAsync<byte[]?>(new CommandDefinition(
            "SELECT model FROM ranking_model WHERE active", cancellationToken: ct));
        var active = ModelRanker.TryLoad(activeBytes);
        var activeMetrics = active is null ? null : RankingEvaluator.Evaluate(active, test, womenRefs);
        var promote = activeMetrics is null || modelMetrics.Ndcg10 >= activeMetrics.Ndcg10;

        var metrics = JsonSerializer.Serialize(new
        {
            held_out_vacancies = testRefs.Count,
            model = Figures(modelMetrics),
            rule = Figures(ruleMetrics),
            previously_active = activeMetrics is null ? null : Figures(activeMetrics),
        });
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (promote)
        {
            await connection.ExecuteAsync(new CommandDefinition("UPDATE ranking_model SET active = false WHERE active", transaction: tx, cancellationToken: ct));
        }
        var version = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            """
            INSERT INTO ranking_model (trained_from, training_rows, training_vacancies, metrics, women_exposure_ratio, feature_names, model, active)
            VALUES (@trainedFrom, @rows, @vacancies, @metrics::jsonb, @fairness, @features, @bytes, @promote)
            RETURNING version
            """,
            new
            {
                trainedFrom, rows = train.Count, vacancies = trainRefs.Count, metrics, fairness = modelMetrics.WomenExposureRatio,
                features = RankingFeatures.Names, bytes = model.ToBytes(), promote,
            }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        logger.LogInformation("Ranking model {Version} registered from {TrainedFrom}; promoted: {Promoted}", version, trainedFrom, promote);
        return new Registered(version, promote, modelMetrics.Ndcg10, activeMetrics?.Ndcg10, ruleMetrics.Ndcg10, modelMetrics.WomenExposureRatio);
    }

    public async Task<IReadOnlyList<ModelInfo>> ListAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<ModelInfo>(new CommandDefinition(
            """
            SELECT version, trained_at, trained_from, training_rows, training_vacancies, metrics::text AS metrics, women_exposure_ratio, active
            FROM ranking_model ORDER BY version DESC LIMIT 20
            """, cancellationToken: ct))).ToList();
    }

    private static object Figures(RankerMetrics m) => new
    {
        ndcg_at_1 = Math.Round(m.Ndcg1, 4),
        ndcg_at_3 = Math.Round(m.Ndcg3, 4),
        ndcg_at_10 = Math.Round(m.Ndcg10, 4),
        women_exposure_ratio = m.WomenExposureRatio is { } r ? Math.Round(r, 4) : (double?)null,
        scored_vacancies = m.ScoredVacancies,
    };
}
