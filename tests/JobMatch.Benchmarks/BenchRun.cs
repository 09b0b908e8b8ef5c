using System.Diagnostics;
using Dapper;
using JobMatch.Database;
using JobMatch.Ranking;
using JobMatch.Skills;
using Npgsql;

namespace JobMatch.Benchmarks;

/// <summary>
/// One run: its own throwaway PostgreSQL cluster (fsync on, as in production), the product's migrations and
/// reference data, the world, then each workload in turn. The cluster is stopped and deleted at the end.
/// </summary>
internal sealed class BenchRun : IAsyncDisposable
{
    private readonly EmbeddedPostgres _cluster;
    private readonly string _root;
    private readonly TextWriter _log;

    private BenchRun(EmbeddedPostgres cluster, string root, string connectionString, BenchScale scale, Report report, TextWriter log)
    {
        _cluster = cluster;
        _root = root;
        _log = log;
        ConnectionString = connectionString;
        Scale = scale;
        Report = report;
        // The product's own data source settings (auto-prepared statements), so the product paths run as in the app.
        DataSource = DatabaseExtensions.CreateDataSource(connectionString);
    }

    public string ConnectionString { get; }
    public BenchScale Scale { get; }
    public Report Report { get; }
    public NpgsqlDataSource DataSource { get; }
    public BenchWorld World { get; private set; } = null!;
    public WorldLoader Loaded { get; private set; } = null!;
    public ModelRanker Model { get; private set; } = null!;

    public static async Task<BenchRun> StartAsync(BenchScale scale, Report report, TextWriter log)
    {
        var root = Path.Combine(Path.GetTempPath(), "jobmatch-bench-" + Guid.NewGuid().ToString("N")[..8]);
        var cluster = EmbeddedPostgres.Start(root, durable: true, log);
        var connectionString = new NpgsqlConnectionStringBuilder(cluster.ConnectionString("bench")) { CommandTimeout = 600, MaxPoolSize = 50 }.ConnectionString;
        var run = new BenchRun(cluster, root, connectionString, scale, report, log);
        DatabaseMigrator.Migrate(connectionString);
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        await new ReferenceData(run.DataSource).LoadAsync(SeedTaxonomy.FindDataDirectory(), CancellationToken.None);
        await using var c = await run.DataSource.OpenConnectionAsync();
        report.Machine["postgresql"] = await c.ExecuteScalarAsync<string>("SHOW server_version") ?? "";
        report.Machine["postgresql_fsync"] = await c.ExecuteScalarAsync<string>("SHOW fsync") ?? "";
        report.Machine["postgresql_synchronous_commit"] = await c.ExecuteScalarAsync<string>("SHOW synchronous_commit") ?? "";
        return run;
    }

    public async Task RunAsync(HashSet<string>? only)
    {
        bool Wanted(string id) => only is null || only.Contains(id);
        await Step("world", async () =>
        {
            var clock = Stopwatch.StartNew();
            World = BenchWorld.Generate(Scale.Seekers, Scale.Vacancies, Scale.CandidatesPerVacancy, Scale.Trainees);
            var b0 = Report.Add("B0", $"World build: {Scale.Seekers:N0} seekers, {Scale.Vacancies:N0} vacancies, {World.World.Outcomes.Count:N0} simulated outcomes; binary COPY");
            b0.Metric("generate_s", clock.Elapsed.TotalSeconds);
            Loaded = new WorldLoader(DataSource, World);
            await Loaded.LoadAsync(b0);
        });
        // B5 first: its LightGBM model is the one B2-B4 serve.
        await Step("B5", () => new TrainingBench(this).RunAsync(Wanted("B5")));
        if (Wanted("B1")) await Step("B1", () => new SkillImportBench(this).RunAsync());
        if (Wanted("B2")) await Step("B2", () => new TopFiftyBench(this).RunAsync());
        if (Wanted("B3")) await Step("B3", () => new ScoringBench(this).RunAsync());
        if (Wanted("B4")) await Step("B4", () => new NightlyBench(this).RunAsync());
        if (Wanted("B6")) await Step("B6", () => new OutboxBench(this).RunAsync());
        if (Wanted("B7")) await Step("B7", () => new WebBench(this).RunAsync());
        if (Wanted("B9")) await Step("B9", () => new SmsBench(this).RunAsync());
    }

    /// <summary>
    /// B8: the world at national scale (B0 is its build), the model (B5, not reported), B2 and B4 timed, then the
    /// database's size and the process's memory (<see cref="ScaleBench"/>).
    /// </summary>
    public async Task RunNationalAsync()
    {
        var scale = new ScaleBench(this);
        await Step("world", async () =>
        {
            var clock = Stopwatch.StartNew();
            World = BenchWorld.Generate(Scale.Seekers, Scale.Vacancies, Scale.CandidatesPerVacancy, Scale.Trainees, Scale.OutcomeVacancies);
            var b0 = Report.Add("B0", $"World build: {Scale.Seekers:N0} seekers, {Scale.Vacancies:N0} vacancies, {World.World.Outcomes.Count:N0} simulated outcomes; binary COPY");
            b0.Metric("generate_s", clock.Elapsed.TotalSeconds);
            scale.AfterGenerate();
            Loaded = new WorldLoader(DataSource, World);
            await Loaded.LoadAsync(b0);
            b0.Metric("build_s", clock.Elapsed.TotalSeconds);
        });
        await Step("B5", () => new TrainingBench(this).RunAsync(false));
        await Step("B2", () => new TopFiftyBench(this).RunAsync());
        await Step("B4", () => new NightlyBench(this, scale).RunAsync());
        await Step("B8", () => scale.ReportAsync());
    }

    private async Task Step(string name, Func<Task> step)
    {
        var clock = Stopwatch.StartNew();
        _log.WriteLine($"[{DateTime.Now:HH:mm:ss}] {name} ... (load {Report.LoadAverage()})");
        await step();
        _log.WriteLine($"[{DateTime.Now:HH:mm:ss}] {name} done in {clock.Elapsed.TotalSeconds:F1} s");
    }

    public void Log(string line) => _log.WriteLine("    " + line);

    public void UseModel(ModelRanker model) => Model = model;

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        _cluster.Stop(force: true);
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
