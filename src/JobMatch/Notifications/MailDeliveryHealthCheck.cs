using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace JobMatch.Notifications;

/// <summary>
/// Part of <c>/health/ready</c>: <i>degraded</i> while e-mails wait for a retry because the mail server could not be
/// reached (SECURITY.md F3). Nothing is lost meanwhile (the rows stay in the outbox), so the app stays ready; a single
/// mailbox answering 4xx (last error "SMTP 4xx") is that message's problem, not the server's, and does not count.
/// </summary>
internal sealed class MailDeliveryHealthCheck(NpgsqlDataSource db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await db.OpenConnectionAsync(cancellationToken);
            var waiting = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                SELECT count(*) FROM outbox_message
                WHERE channel = 'email' AND status = 'pending' AND attempts > 0 AND last_error IS NOT NULL AND last_error NOT LIKE 'SMTP %'
                """, cancellationToken: cancellationToken));
            return waiting == 0
                ? HealthCheckResult.Healthy("mail server reachable")
                : HealthCheckResult.Degraded($"{waiting} e-mails wait for a retry: the mail server could not be reached");
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            // The database check reports this; the outbox cannot be read, so say nothing about mail.
            return HealthCheckResult.Degraded("outbox not readable");
        }
    }
}
