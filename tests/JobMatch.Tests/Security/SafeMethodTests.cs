using Dapper;
using JobMatch.Tests.Infrastructure;
using Npgsql;

namespace JobMatch.Tests.Security;

/// <summary>
/// R14: a GET changes nothing. Every GET endpoint and page without route parameters is requested by every role it
/// admits, and each table in schema public must keep its row count and its newest row version (max xmin, which
/// moves on any insert or update). audit_log (reads of personal data are audited, by design) and
/// data_protection_key (the key ring may roll a key on first use) are left out.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SafeMethodTests(PostgresFixture database)
{
    private static readonly string[] Ignored = ["audit_log", "data_protection_key"];

    [Fact]
    public async Task EveryGetWithoutParameters_LeavesTheDatabaseUnchanged()
    {
        await using var app = new JobMatchApp(database);
        using var clients = await RoleClients.SignInAllAsync(app);
        var endpoints = EndpointCatalogue.All(app.Services)
            .Where(e => !e.HasParameters && (e.IsPage || e.Methods.Contains("GET")))
            .ToList();
        Assert.Contains(endpoints, e => e.Route == "/api/me");

        var failures = new List<string>();
        var requests = 0;
        foreach (var endpoint in endpoints)
        {
            var before = await SnapshotAsync();
            foreach (var (who, client) in clients.For(endpoint))
            {
                using var response = await client.GetAsync(endpoint.Path);
                requests++;
            }
            var after = await SnapshotAsync();
            failures.AddRange(after.Where(t => !before.TryGetValue(t.Key, out var b) || b != t.Value)
                .Select(t => $"GET {endpoint.Route} changed {t.Key}: {(before.TryGetValue(t.Key, out var b) ? b : default)} -> {t.Value}"));
        }

        Assert.True(requests >= endpoints.Count);
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    /// <summary>(row count, newest xmin) per table of schema public.</summary>
    private async Task<Dictionary<string, (long Rows, long NewestXmin)>> SnapshotAsync()
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var tables = (await connection.QueryAsync<string>(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND NOT (tablename = ANY(@Ignored)) ORDER BY tablename",
            new { Ignored })).ToList();
        var sql = string.Join(" UNION ALL ", tables.Select(t =>
            $"SELECT {Quote(t, '\'')} AS name, count(*) AS rows, coalesce(max(xmin::text::bigint), 0) AS newest FROM public.{Quote(t, '"')}"));
        var rows = await connection.QueryAsync<(string Name, long Rows, long Newest)>(sql);
        return rows.ToDictionary(r => r.Name, r => (r.Rows, r.Newest));
    }

    private static string Quote(string identifier, char quote) =>
        quote + identifier.Replace(quote.ToString(), new string(quote, 2), StringComparison.Ordinal) + quote;
}
