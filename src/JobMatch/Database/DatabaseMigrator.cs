using DbUp;
using DbUp.Engine.Output;
using Npgsql;

namespace JobMatch.Database;

/// <summary>
/// Applies the embedded <c>Migrations/*.sql</c> scripts with DbUp (journal: public.schemaversions).
/// DbUp has no cross-process lock, so two processes starting at once take a PostgreSQL advisory lock first —
/// on a non-pooled connection, because a pooled one would keep the session lock after "closing" (DbUp itself has no lock across processes, and parallel hosts on a fresh database race).
/// </summary>
internal static class DatabaseMigrator
{
    private const long MigrationLockKey = 0x4A6F624D61746368; // "JobMatch"

    public static void Migrate(string connectionString, TextWriter? log = null)
    {
        EnsureDatabase(connectionString);

        var lockConnectionString = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
        using var lockConnection = new NpgsqlConnection(lockConnectionString);
        lockConnection.Open();
        using (var command = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", lockConnection))
        {
            command.Parameters.AddWithValue("key", MigrationLockKey);
            command.CommandTimeout = 300;
            command.ExecuteNonQuery();
        }
        try
        {
            var result = DeployChanges.To
                .PostgresqlDatabase(connectionString)
                .WithScriptsEmbeddedInAssembly(typeof(DatabaseMigrator).Assembly, name => name.EndsWith(".sql", StringComparison.Ordinal))
                .WithTransactionPerScript()
                .LogTo(log is null ? new NoOpUpgradeLog() : new WriterLog(log))
                .Build()
                .PerformUpgrade();
            if (!result.Successful)
            {
                throw new InvalidOperationException($"Database migration failed in script {result.ErrorScript?.Name}.", result.Error);
            }
        }
        finally
        {
            using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", lockConnection);
            unlock.Parameters.AddWithValue("key", MigrationLockKey);
            unlock.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// Creates the database when it does not exist yet. Not DbUp's EnsureDatabase: it leaves its connection to the
    /// maintenance database open, one per start, and a test run that starts hundreds of hosts then exhausted the server's
    /// max_connections. Both connections here are unpooled and closed; the maintenance database is only asked when the
    /// target is missing (an installation's owner role need not be allowed to connect to it otherwise).
    /// </summary>
    internal static void EnsureDatabase(string connectionString)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        try
        {
            using var probe = new NpgsqlConnection(target.ConnectionString);
            probe.Open();
            return;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            // Missing: create it below.
        }
        var name = target.Database ?? throw new InvalidOperationException("The connection string names no database.");
        using var maintenance = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(target.ConnectionString) { Database = "postgres" }.ConnectionString);
        maintenance.Open();
        using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", maintenance) { Parameters = { new("name", name) } };
        if (exists.ExecuteScalar() is not null) return;
        using var create = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", maintenance);
        try
        {
            create.ExecuteNonQuery();
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Another process starting at the same moment created it first.
        }
    }

    /// <summary>Names of the scripts this build carries, in the order DbUp applies them.</summary>
    public static IReadOnlyList<string> EmbeddedScripts() =>
        typeof(DatabaseMigrator).Assembly.GetManifestResourceNames()
            .Where(n => n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

    private sealed class WriterLog(TextWriter writer) : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) { }
        public void LogDebug(string format, params object[] args) { }
        public void LogInformation(string format, params object[] args) => writer.WriteLine(format, args);
        public void LogWarning(string format, params object[] args) => writer.WriteLine(format, args);
        public void LogError(string format, params object[] args) => writer.WriteLine(format, args);
        public void LogError(Exception ex, string format, params object[] args) => writer.WriteLine(format, args);
    }
}
