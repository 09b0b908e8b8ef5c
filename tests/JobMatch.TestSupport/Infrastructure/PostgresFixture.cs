using JobMatch.Database;
using JobMatch.Skills;
using Npgsql;

namespace JobMatch.Tests.Infrastructure;

/// <summary>
/// One PostgreSQL for the test run: the server named by <c>JOBMATCH_TEST_DB</c> when set, otherwise a private
/// throwaway cluster started through the app's own <see cref="EmbeddedPostgres"/> (fsync off: tests only).
/// Migrations and reference data are applied once. Tests isolate themselves with unique data, not resets:
/// the audit log is append-only by design.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private EmbeddedPostgres? _cluster;
    private string? _root;

    public string ConnectionString { get; private set; } = "";
    internal NpgsqlDataSource DataSource { get; private set; } = null!;
    internal EmbeddedPostgres? Cluster => _cluster;

    public async Task InitializeAsync()
    {
        // As the app sets it (AddDatabase): tests that use the app's stores before any host has started need it too.
        Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;
        // A database of its own per run, so runs against a shared server (JOBMATCH_TEST_DB) never see each other's rows.
        ConnectionString = CreateDatabase("jobmatch_test_" + Guid.NewGuid().ToString("N")[..8]);
        DatabaseMigrator.Migrate(ConnectionString);
        DataSource = NpgsqlDataSource.Create(ConnectionString);
        await new ReferenceData(DataSource).LoadAsync(SeedDirectory, CancellationToken.None);
    }

    /// <summary>A connection string for another database on the same server (created by the migrator when used).</summary>
    public string CreateDatabase(string name)
    {
        var configured = Environment.GetEnvironmentVariable("JOBMATCH_TEST_DB");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new NpgsqlConnectionStringBuilder(configured) { Database = name }.ConnectionString;
        }
        if (_cluster is null)
        {
            _root = Path.Combine(Path.GetTempPath(), "jobmatch-tests-" + Guid.NewGuid().ToString("N")[..8]);
            _cluster = EmbeddedPostgres.Start(_root, durable: false);
        }
        return new NpgsqlConnectionStringBuilder(_cluster.ConnectionString(name)) { Timeout = 5 }.ConnectionString;
    }

    public static string SeedDirectory => Path.Combine(AppContext.BaseDirectory, "data");

    public async Task DisposeAsync()
    {
        if (DataSource is not null) await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        if (_cluster is null && !string.IsNullOrEmpty(ConnectionString))
        {
            var name = new NpgsqlConnectionStringBuilder(ConnectionString).Database;
            await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
        _cluster?.Stop();
        if (_root is not null)
        {
            try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
