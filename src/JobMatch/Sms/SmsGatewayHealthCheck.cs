using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JobMatch.Sms;

/// <summary>
/// Part of <c>/health/ready</c>: <i>degraded</i> while SMS wait for a retry because the gateway could not be reached,
/// or (with a gateway configured) when its sendsms address does not answer now. Nothing is lost meanwhile (the rows
/// stay in the outbox), so the app stays ready. Any HTTP answer counts as up: without credentials sendsms says 4xx.
/// </summary>
internal sealed class SmsGatewayHealthCheck(NpgsqlDataSource db, IHttpClientFactory clients, IOptions<SmsOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        long waiting;
        try
        {
            await using var connection = await db.OpenConnectionAsync(cancellationToken);
            waiting = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT count(*) FROM outbox_message WHERE channel = 'sms' AND status = 'pending' AND last_error LIKE 'gateway:%'",
                cancellationToken: cancellationToken));
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Degraded("outbox not readable");
        }
        if (options.Value.Kannel.SendUrl is { } url)
        {
            try
            {
                using var probe = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(probe.Token, cancellationToken);
                using var response = await clients.CreateClient(SmsGatewayProbe).GetAsync(url.GetLeftPart(UriPartial.Path), linked.Token);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return HealthCheckResult.Degraded($"SMS gateway not reachable; {waiting} SMS wait for a retry");
            }
        }
        return waiting == 0
            ? HealthCheckResult.Healthy("SMS gateway reachable")
            : HealthCheckResult.Degraded($"{waiting} SMS wait for a retry: the gateway could not be reached");
    }

    /// <summary>A client without retries: the probe answers what is true now.</summary>
    public const string SmsGatewayProbe = "kannel-probe";
}
