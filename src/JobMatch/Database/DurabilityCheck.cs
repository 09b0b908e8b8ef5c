using Npgsql;

namespace JobMatch.Database;

/// <summary>
/// JobMatch promises that a write it answered 2xx survives a crash. PostgreSQL keeps that promise only with
/// <c>fsync</c>, <c>synchronous_commit</c> and <c>full_page_writes</c> on (R29), so the app checks them at start-up
/// and refuses to run otherwise, unless <c>Database:AllowUnsafeDurability</c> is set (tests: the test cluster runs
/// with fsync off for speed).
/// </summary>
internal static class DurabilityCheck
{
    public sealed record Settings(string Fsync, string SynchronousCommit, string FullPageWrites, string DataChecksums)
    {
        public override string ToString() =>
            $"fsync={Fsync}; synchronous_commit={SynchronousCommit}; full_page_writes={FullPageWrites}; data_checksums={DataChecksums}";
    }

    /// <summary>
    /// What is unsafe about the three settings; empty when all is well. Any synchronous_commit other than "off"
    /// (on, local, remote_write, remote_apply) waits for the local WAL flush, so only "off" can lose a commit.
    /// </summary>
    public static IReadOnlyList<string> Problems(string fsync, string synchronousCommit, string fullPageWrites)
    {
        List<string> problems = [];
        if (!IsOn(fsync)) problems.Add($"fsync is '{fsync}' (committed data can be lost or corrupted in a crash)");
        if (IsOff(synchronousCommit)) problems.Add($"synchronous_commit is '{synchronousCommit}' (the last commits can be lost in a crash)");
        if (!IsOn(fullPageWrites)) problems.Add($"full_page_writes is '{fullPageWrites}' (torn pages after a power failure)");
        return problems;
    }

    public static async Task<Settings> ReadAsync(string connectionString, CancellationToken ct)
    {
        try
        {
            return await ReadFromAsync(connectionString, ct);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            // The app's database is created by the migrator, which must not run before this check: ask the server
            // through its maintenance database instead (the settings are server-wide).
            return await ReadFromAsync(new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres" }.ConnectionString, ct);
        }
    }

    /// <summary>Throws with an operator-readable message when the server is unsafe and that is not explicitly allowed.</summary>
    public static async Task<Settings> EnsureAsync(string connectionString, bool allowUnsafe, ILogger logger, CancellationToken ct)
    {
        var settings = await ReadAsync(connectionString, ct);
        var problems = Problems(settings.Fsync, settings.SynchronousCommit, settings.FullPageWrites);
        if (problems.Count == 0) return settings;

        var server = new NpgsqlConnectionStringBuilder(connectionString);
        if (allowUnsafe)
        {
            logger.LogWarning("PostgreSQL at {Host}:{Port} is not crash-safe ({Settings}); allowed by Database:AllowUnsafeDurability (tests only)",
                server.Host, server.Port, settings);
            return settings;
        }
        throw new InvalidOperationException(
            $"JobMatch refuses to start: the PostgreSQL server at {server.Host}:{server.Port} is not crash-safe: " +
            string.Join("; ", problems) + ". A record JobMatch reports as saved could be lost. Set fsync = on, " +
            "synchronous_commit = on and full_page_writes = on in postgresql.conf and reload PostgreSQL. " +
            "(Only for throwaway test databases: set Database:AllowUnsafeDurability=true.)");
    }

    private static async Task<Settings> ReadFromAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        return await ReadAsync(connection, ct);
    }

    public static async Task<Settings> ReadAsync(NpgsqlConnection connection, CancellationToken ct) =>
        new Settings(
            await ShowAsync(connection, "fsync", ct),
            await ShowAsync(connection, "synchronous_commit", ct),
            await ShowAsync(connection, "full_page_writes", ct),
            await ShowAsync(connection, "data_checksums", ct));

    private static async Task<string> ShowAsync(NpgsqlConnection connection, string setting, CancellationToken ct)
    {
        // SHOW takes no parameters; the names are the constants above, never input.
        await using var command = new NpgsqlCommand($"SHOW {setting}", connection);
        return (string?)await command.ExecuteScalarAsync(ct) ?? "";
    }

    private static bool IsOn(string value) => value.Trim().ToLowerInvariant() is "on" or "true" or "yes" or "1";
    private static bool IsOff(string value) => value.Trim().ToLowerInvariant() is "off" or "false" or "no" or "0";
}
