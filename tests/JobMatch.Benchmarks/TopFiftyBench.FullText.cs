using System.Diagnostics;
using Dapper;

namespace JobMatch.Benchmarks;

/// <summary>The PostgreSQL full-text peer: its own tsvector table (a user would add one), same hard filters as the product.</summary>
internal sealed partial class TopFiftyBench
{
    private async Task<double> BuildFullTextAsync()
    {
        var clock = Stopwatch.StartNew();
        await using var c = await run.DataSource.OpenConnectionAsync();
        await c.ExecuteAsync(
            """
            DROP TABLE IF EXISTS bench_seeker_doc;
            CREATE TABLE bench_seeker_doc AS
            SELECT ss.seeker_id, to_tsvector('english', string_agg(repeat(sk.name_en || ' ', ss.level), ' ')) AS doc
            FROM seeker_skill ss JOIN skill sk ON sk.id = ss.skill_id
            GROUP BY ss.seeker_id;
            ALTER TABLE bench_seeker_doc ADD PRIMARY KEY (seeker_id);
            CREATE INDEX ix_bench_seeker_doc ON bench_seeker_doc USING gin (doc);
            ANALYZE bench_seeker_doc;
            """, commandTimeout: 600);
        return clock.Elapsed.TotalSeconds;
    }

    private async Task<List<int>> FullTextAsync(int vi)
    {
        var clock = Stopwatch.StartNew();
        await using var c = await run.DataSource.OpenConnectionAsync();
        var ids = await c.QueryAsync<long>(
            """
            WITH q AS (
                SELECT replace(plainto_tsquery('english', string_agg(sk.name_en, ' '))::text, '&', '|')::tsquery AS q
                FROM vacancy_skill vs JOIN skill sk ON sk.id = vs.skill_id WHERE vs.vacancy_id = @id)
            SELECT s.id
            FROM q, vacancy v, bench_seeker_doc d
            JOIN seeker s ON s.id = d.seeker_id
            JOIN matchable_seeker ms ON ms.seeker_id = s.id
            LEFT JOIN upazila u ON u.code = s.upazila_code
            WHERE v.id = @id AND d.doc @@ q.q AND s.status = 'active'
              AND (v.min_education_level IS NULL OR s.education_level >= v.min_education_level)
              AND (s.max_travel_km IS NULL OR u.lat IS NULL OR v.lat IS NULL OR
                   2 * 6371 * asin(sqrt(power(sin(radians(v.lat - u.lat) / 2), 2)
                       + cos(radians(u.lat)) * cos(radians(v.lat)) * power(sin(radians(v.lon - u.lon) / 2), 2))) <= s.max_travel_km)
            ORDER BY ts_rank(d.doc, q.q) DESC, s.id
            LIMIT 50
            """, new { id = run.Loaded.VacancyIds[vi] });
        var list = ids.Select(Index).ToList();
        if (_latency.ContainsKey(JobMatch)) Time(FullText, clock.Elapsed.TotalMilliseconds);
        return list;
    }
}
