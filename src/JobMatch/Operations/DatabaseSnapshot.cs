using Dapper;
using Npgsql;

namespace JobMatch.Operations;

/// <summary>
/// Facts about the app's database read for a backup manifest or a restore check: migrations applied, exact row
/// counts of every table of the app's schemas, and the key-encryption-key ids of the stored data keys.
/// </summary>
internal static class DatabaseSnapshot
{
    /// <summary>Schemas JobMatch owns: its migrations' (public, casefile) and Hangfire's.</summary>
    private static readonly string[] Schemas = ["public", "casefile", "hangfire"];

    public static async Task<IReadOnlyList<string>> MigrationsAsync(NpgsqlConnection connection, CancellationToken ct) =>
        (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT scriptname FROM schemaversions ORDER BY scriptname", cancellationToken: ct))).ToList();

    public static async Task<IReadOnlyDictionary<string, long>> RowCountsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var tables = await connection.QueryAsync<string>(new CommandDefinition(
            """
            SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY(@schemas)
            ORDER BY 1
            """, new { schemas = Schemas }, cancellationToken: ct));
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            // The name comes from pg_class, quoted by quote_ident: not from input.
            counts[table] = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT count(*) FROM {table}", cancellationToken: ct));
        }
        return counts;
    }

    /// <summary>True when the database holds any table in a non-system schema (then a restore would mix two databases).</summary>
    public static async Task<bool> HasTablesAsync(NpgsqlConnection connection, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            """
            SELECT EXISTS (
                SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%')
            """, cancellationToken: ct));
}
