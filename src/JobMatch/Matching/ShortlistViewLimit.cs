using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JobMatch.Matching;

/// <summary>
/// Counts candidate views per employer organisation in fixed clock-hour windows, in PostgreSQL so every app node
/// shares one count (an in-memory limiter would allow the limit once per node). One upsert per view; a fixed
/// window can allow up to twice the limit across an hour boundary, which is enough to stop a scraper.
/// </summary>
internal sealed class ShortlistViewLimit(NpgsqlDataSource db, IOptions<ShortlistOptions> options, TimeProvider time)
{
    /// <summary>Counts one view; false when the organisation is past its hourly limit (the view is then refused).</summary>
    public async Task<bool> TryViewAsync(Guid organisationId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var hourStart = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        await using var connection = await db.OpenConnectionAsync(ct);
        var (views, inserted) = await connection.QuerySingleAsync<(int, bool)>(new CommandDefinition(
            """
            INSERT INTO candidate_view_window (organisation_id, hour_start, views) VALUES (@organisationId, @hourStart, 1)
            ON CONFLICT (organisation_id, hour_start) DO UPDATE SET views = candidate_view_window.views + 1
            RETURNING views, (xmax = 0) AS inserted
            """, new { organisationId, hourStart }, cancellationToken: ct));
        if (inserted)
        {
            // A new window: the organisation's old ones are no longer needed.
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM candidate_view_window WHERE organisation_id = @organisationId AND hour_start < @hourStart",
                new { organisationId, hourStart }, cancellationToken: ct));
        }
        return views <= options.Value.CandidateViewsPerHour;
    }
}
