using System.Diagnostics.Metrics;
using Dapper;
using Npgsql;

namespace JobMatch.Observability;

/// <summary>
/// The outbox backlog (messages waiting) and the age of the oldest, by channel, read from the database every 15 s
/// and reported as gauges (a scrape never waits on the database). Every node reports the same figures: they describe
/// the shared outbox, so a dashboard should take the maximum, not the sum.
/// </summary>
internal sealed class OutboxGauges(NpgsqlDataSource db, ILogger<OutboxGauges> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(15);
    private static volatile IReadOnlyList<(string Channel, long Waiting, double OldestSeconds)> _latest = [];

    static OutboxGauges()
    {
        JobMatchMetrics.Meter.CreateObservableGauge("jobmatch.outbox.backlog",
            () => _latest.Select(r => new Measurement<long>(r.Waiting, new KeyValuePair<string, object?>("channel", r.Channel))),
            "{message}", "Messages waiting in the outbox (pending or being sent)");
        JobMatchMetrics.Meter.CreateObservableGauge("jobmatch.outbox.oldest_age",
            () => _latest.Select(r => new Measurement<double>(r.OldestSeconds, new KeyValuePair<string, object?>("channel", r.Channel))),
            "s", "Age of the oldest waiting message");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every);
        do
        {
            try
            {
                await using var connection = await db.OpenConnectionAsync(stoppingToken);
                var rows = await connection.QueryAsync<(long Waiting, double OldestSeconds)>(new CommandDefinition(
                    """
                    SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8
                    FROM outbox_message WHERE status IN ('pending', 'sending')
                    """, cancellationToken: stoppingToken));
                _latest = rows.Select(r => ("email", r.Waiting, r.OldestSeconds)).ToList();
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogDebug("Outbox gauges not read: {Error}", e.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
