using Dapper;
using Hangfire;
using JobMatch.Matching;
using JobMatch.Ranking;
using JobMatch.Skills;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JobMatch.BackgroundJobs;

/// <summary>
/// Weekly: trains a model on the recorded outcomes and registers it; the registry promotes it only if it ranks the
/// held-out vacancies at least as well as the model in use. Skipped (with a log line) while too few vacancies have
/// outcomes, or when no outcome was recorded since the last model trained on outcomes — so running twice registers
/// one model, not two.
/// </summary>
[DisableConcurrentExecution(timeoutInSeconds: 60 * 60)]
[AutomaticRetry(Attempts = 1)]
internal sealed class RetrainRankingModel(NpgsqlDataSource db, OutcomeExamples outcomes, ModelRegistry registry, RankerProvider rankers,
    IOptions<RankingJobOptions> options, ILogger<RetrainRankingModel> logger) : IHangfireJob
{
    public async Task RunAsync(CancellationToken ct)
    {
        if (!await NewOutcomesSinceLastTrainingAsync(ct))
        {
            logger.LogInformation("Retraining skipped: no outcome recorded since the last model trained on outcomes");
            return;
        }
        var (examples, women) = await outcomes.LoadAsync(ct);
        var vacancies = examples.Select(e => e.VacancyRef).Distinct(StringComparer.Ordinal).Count();
        if (vacancies < options.Value.MinVacanciesWithOutcomes)
        {
            logger.LogInformation("Retraining skipped: {Vacancies} vacancies have outcomes, {Needed} needed", vacancies, options.Value.MinVacanciesWithOutcomes);
            return;
        }
        try
        {
            var result = await registry.TrainAndRegisterAsync(examples, women, ModelRegistry.RecordedOutcomes, options.Value.Seed, ct);
            if (result.Promoted) rankers.Invalidate();
            logger.LogInformation("Model {Version} trained on {Rows} outcomes of {Vacancies} vacancies: NDCG@10 {Ndcg}; promoted: {Promoted}",
                result.Version, examples.Count, vacancies, result.ModelNdcg10, result.Promoted);
        }
        catch (InvalidOperationException e)
        {
            // Too few positive labels on one side of the split: a fact about the data, not a failure to retry.
            logger.LogInformation("Retraining skipped: {Reason}", e.Message);
        }
    }

    private async Task<bool> NewOutcomesSinceLastTrainingAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            """
            SELECT EXISTS (
                SELECT 1 FROM match_event
                WHERE to_status IN ('invited', 'accepted', 'declined', 'interviewed', 'hired', 'not_selected')
                  AND at > COALESCE((SELECT max(trained_at) FROM ranking_model WHERE trained_from = @from), '-infinity'))
            """, new { from = ModelRegistry.RecordedOutcomes }, cancellationToken: ct));
    }
}

/// <summary>
/// Demo mode only: while no model is active and none was trained from a simulated world yet, trains the first one from
/// a world simulated over the real taxonomy (seekers × vacancies from <see cref="RankingJobOptions"/>) and registers
/// it as 'simulated_world'. A background job, so start-up stays fast; enqueued by <see cref="DemoModelStartup"/>.
/// </summary>
[DisableConcurrentExecution(timeoutInSeconds: 30 * 60)]
[AutomaticRetry(Attempts = 1)]
internal sealed class TrainDemoRankingModel(NpgsqlDataSource db, ModelRegistry registry, RankerProvider rankers, IConfiguration configuration,
    IOptions<RankingJobOptions> options, ILogger<TrainDemoRankingModel> logger) : IHangfireJob
{
    public async Task RunAsync(CancellationToken ct)
    {
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                    "SELECT EXISTS (SELECT 1 FROM ranking_model WHERE active OR trained_from = @from)",
                    new { from = ModelRegistry.SimulatedWorld }, cancellationToken: ct)))
            {
                logger.LogInformation("Demo ranking model: a model exists already");
                return;
            }
        }
        var settings = options.Value;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var taxonomy = SeedTaxonomy.Load(ReferenceData.DefaultDirectory(configuration));
        var world = new WorldSimulator(taxonomy, new SimulationOptions { Seekers = settings.DemoSeekers, Vacancies = settings.DemoVacancies, Seed = settings.Seed }).Generate();
        var dataset = RankingDataset.FromWorld(world);
        var result = await registry.TrainAndRegisterAsync(dataset.Examples, dataset.WomenRefs, ModelRegistry.SimulatedWorld, settings.Seed, ct);
        if (result.Promoted) rankers.Invalidate();
        logger.LogInformation("Demo ranking model {Version} trained from a simulated world ({Rows} rows) in {ElapsedMs} ms: NDCG@10 {Ndcg} (rule {RuleNdcg})",
            result.Version, dataset.Examples.Count, clock.ElapsedMilliseconds, result.ModelNdcg10, result.RuleNdcg10);
    }
}

/// <summary>In demo mode (the embedded database, <c>Demo:Enabled</c>), asks for the demo model at start-up; the job decides whether one is needed.</summary>
internal sealed class DemoModelStartup(IBackgroundJobClient jobs, IConfiguration configuration, IOptions<Database.DatabaseOptions> database,
    ILogger<DemoModelStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (configuration.GetValue("Demo:Enabled", database.Value.Embedded))
        {
            jobs.Enqueue<TrainDemoRankingModel>(job => job.RunAsync(CancellationToken.None));
            logger.LogInformation("Demo mode: the first ranking model is trained in the background if none exists");
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>The <c>RankingJobs</c> section.</summary>
internal sealed class RankingJobOptions
{
    public const string Section = "RankingJobs";

    /// <summary>Retraining waits until at least this many vacancies have recorded outcomes.</summary>
    public int MinVacanciesWithOutcomes { get; set; } = 20;

    public int Seed { get; set; } = 42;

    /// <summary>Size of the simulated world the demo's first model learns from.</summary>
    public int DemoSeekers { get; set; } = 1500;
    public int DemoVacancies { get; set; } = 300;
}
