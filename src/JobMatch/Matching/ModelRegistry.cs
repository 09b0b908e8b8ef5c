using System.Text.Json;
using Dapper;
using JobMatch.Ranking;
using Npgsql;

namespace JobMatch.Matching;

/// <summary>
/// The ranking-model registry in PostgreSQL. A newly trained model is always recorded with its metrics, and becomes
/// the active one only if it ranks the held-out vacancies at least as well (NDCG@10) as the model in use. On logged
/// examples (outcomes exist only for shown candidates, with their positions: <see cref="OutcomeExamples"/>) "as well"
/// is judged by an inverse-propensity estimate (<see cref="CounterfactualEvaluator"/>), not by NDCG on the biased
/// labels, which favours whichever model resembles the one that decided what was shown; and training weights the
/// logged positives the same way (<see cref="ExaminationPropensity"/>, estimated from the exploratory slots).
/// </summary>
internal sealed class ModelRegistry(NpgsqlDataSource db, ILogger<ModelRegistry> logger)
{
    public const string SimulatedWorld = "simulated_world";
    public const string RecordedOutcomes = "recorded_outcomes";

    /// <param name="Gate">How the promotion was judged: <see cref="HeldOutLabels"/>, <see cref="InversePropensity"/>, or
    /// <see cref="LoggedLabels"/> (a log without exploratory slots to estimate examination from).</param>
    /// <param name="ModelGate">The new model's figure the gate compared; <paramref name="ActiveGate"/> the active one's.</param>
    public sealed record Registered(int Version, bool Promoted, double ModelNdcg10, double? ActiveNdcg10, double RuleNdcg10, double? WomenExposureRatio,
        string Gate = HeldOutLabels, double ModelGate = 0, double? ActiveGate = null);

    public const string HeldOutLabels = "held_out_labels";
    public const string InversePropensity = "inverse_propensity";
    public const string LoggedLabels = "logged_labels";

    /// <summary>
    /// The promotion rule as a pure function: the gate's figure for both rankers on the held-out examples, and whether
    /// the new one is not worse. Logged examples (with positions) are judged by <see cref="CounterfactualEvaluator"/>
    /// weighted by <paramref name="propensity"/> when there is one; otherwise by plain NDCG@10 on the labels.
    /// </summary>
    internal static (string Gate, double New, double? Active, bool Promote) Judge(IRanker candidate, IRanker? active,
        IReadOnlyList<RankingExample> heldOut, ExaminationPropensity? propensity)
    {
        var logged = heldOut.Any(e => e.Position is not null);
        var gate = !logged ? HeldOutLabels : propensity is null ? LoggedLabels : InversePropensity;
        // Without an examination estimate (no exploratory slots logged yet), the rule as it always was: NDCG@10 on the labels.
        double Figure(IRanker r) => gate == InversePropensity
            ? CounterfactualEvaluator.Ndcg(r, heldOut, propensity!.Weight)
            : RankingEvaluator.Evaluate(r, heldOut.Where(e => e.Shown), new HashSet<string>()).Ndcg10;
        var fresh = Figure(candidate);
        double? current = active is null ? null : Figure(active);
        return (gate, fresh, current, current is null || fresh >= current);
    }

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

        // Examination by position from the randomized (exploratory) rows of the whole log: they are few.
        var propensity = examples.Any(e => e.Position is not null) ? ExaminationPropensity.Estimate(examples) : null;
        var model = new RankingTrainer(new RankingTrainerOptions { Seed = seed }).Train(train, propensity is null ? null : propensity.Weight);
        var modelMetrics = RankingEvaluator.Evaluate(model, test, womenRefs);
        var ruleMetrics = RankingEvaluator.Evaluate(new RuleRanker(), test, womenRefs);

        await using var connection = await db.OpenConnectionAsync(ct);
        var activeBytes = await connection.ExecuteScalarAsync<byte[]?>(new CommandDefinition(
            "SELECT model FROM ranking_model WHERE active", cancellationToken: ct));
        var active = ModelRanker.TryLoad(activeBytes);
        var activeMetrics = active is null ? null : RankingEvaluator.Evaluate(active, test, womenRefs);
        var (gate, modelGate, activeGate, promote) = Judge(model, active, test, propensity);

        var metrics = JsonSerializer.Serialize(new
        {
            held_out_vacancies = testRefs.Count,
            model = Figures(modelMetrics),
            rule = Figures(ruleMetrics),
            previously_active = activeMetrics is null ? null : Figures(activeMetrics),
            gate = new
            {
                method = gate,
                model = Math.Round(modelGate, 4),
                previously_active = activeGate is { } a ? Math.Round(a, 4) : (double?)null,
                randomized_rows = propensity?.RandomizedRows ?? 0,
                examination_by_position = propensity?.ByPosition.Select(t => Math.Round(t, 3)).ToArray(),
            },
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
        logger.LogInformation("Ranking model {Version} registered from {TrainedFrom}; promoted: {Promoted} ({Gate})", version, trainedFrom, promote, gate);
        return new Registered(version, promote, modelMetrics.Ndcg10, activeMetrics?.Ndcg10, ruleMetrics.Ndcg10, modelMetrics.WomenExposureRatio,
            gate, modelGate, activeGate);
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
