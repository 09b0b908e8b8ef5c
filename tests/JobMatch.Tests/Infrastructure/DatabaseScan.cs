using Dapper;
using Npgsql;

namespace JobMatch.Tests.Infrastructure;

/// <summary>
/// Dumps every table of every application schema (information_schema-driven) as text with COPY, the way a
/// pg_dump or a DBA would see it, and reports which tables contain any of the given strings.
/// </summary>
internal static class DatabaseScan
{
    public static async Task<List<string>> FindAsync(NpgsqlDataSource db, IEnumerable<string> needles)
    {
        var wanted = needles.Where(n => n.Length > 0).ToList();
        await using var connection = await db.OpenConnectionAsync();
        var tables = (await connection.QueryAsync<(string Schema, string Name)>(
            """
            SELECT table_schema, table_name FROM information_schema.tables
            WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
            ORDER BY 1, 2
            """)).ToList();
        Assert.Contains(tables, t => t.Schema == "casefile");
        var hits = new List<string>();
        foreach (var (schema, name) in tables)
        {
            using var reader = await connection.BeginTextExportAsync($"COPY \"{schema}\".\"{name}\" TO STDOUT");
            var text = await reader.ReadToEndAsync();
            hits.AddRange(wanted.Where(w => text.Contains(w, StringComparison.OrdinalIgnoreCase)).Select(w => $"{schema}.{name}: {w}"));
        }
        // Text dumps show bytea as hex, so bytea columns are searched for the raw UTF-8 bytes as well.
        var byteaColumns = await connection.QueryAsync<(string Schema, string Table, string Column)>(
            "SELECT table_schema, table_name, column_name FROM information_schema.columns WHERE data_type = 'bytea' AND table_schema NOT IN ('pg_catalog', 'information_schema')");
        foreach (var (schema, table, column) in byteaColumns)
        {
            foreach (var w in wanted)
            {
                var found = await connection.ExecuteScalarAsync<bool>(
                    $"SELECT EXISTS (SELECT 1 FROM \"{schema}\".\"{table}\" WHERE position(convert_to(@w, 'UTF8') in \"{column}\") > 0)", new { w });
                if (found) hits.Add($"{schema}.{table}.{column}: {w}");
            }
        }
        return hits;
    }
}
