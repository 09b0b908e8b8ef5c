using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace JobMatch.Database;

/// <summary>
/// Reports the server's durability settings and whether data checksums are on in <c>/health/ready</c>, so an
/// operator can see at a glance that the cluster detects corrupted pages (R29).
/// </summary>
internal sealed class DurabilityHealthCheck(NpgsqlDataSource db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await db.OpenConnectionAsync(cancellationToken);
            var settings = await DurabilityCheck.ReadAsync(connection, cancellationToken);
            var problems = DurabilityCheck.Problems(settings.Fsync, settings.SynchronousCommit, settings.FullPageWrites);
            // Healthy even when unsafe: start-up already refused an unsafe server unless a test allowed it.
            var suffix = problems.Count == 0 ? "" : " (not crash-safe; allowed for tests)";
            return HealthCheckResult.Healthy(settings + suffix, new Dictionary<string, object>
            {
                ["data_checksums"] = settings.DataChecksums,
                ["fsync"] = settings.Fsync,
                ["synchronous_commit"] = settings.SynchronousCommit,
                ["full_page_writes"] = settings.FullPageWrites,
            });
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("database unreachable");
        }
    }
}
