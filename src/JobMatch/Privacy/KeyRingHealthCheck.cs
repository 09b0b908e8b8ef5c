using System.Security.Cryptography;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace JobMatch.Privacy;

/// <summary>Part of <c>/health/ready</c>: the configured key-encryption key opens the data keys in the database.</summary>
internal sealed class KeyRingHealthCheck(NpgsqlDataSource db, IConfiguration configuration, FieldEncryption encryption) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using (var connection = await db.OpenConnectionAsync(cancellationToken))
            {
                if (await EncryptionKeyCheck.ProblemAsync(connection, configuration, cancellationToken) is { } problem)
                {
                    return HealthCheckResult.Unhealthy(problem);
                }
            }
            var ring = await encryption.RingAsync(cancellationToken);
            return HealthCheckResult.Healthy($"the key-encryption key opens the data keys (current data key {ring.CurrentKeyId})");
        }
        catch (CryptographicException e)
        {
            return HealthCheckResult.Unhealthy("the data keys cannot be opened: " + e.Message);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("not checked: the database is unreachable");
        }
    }
}
