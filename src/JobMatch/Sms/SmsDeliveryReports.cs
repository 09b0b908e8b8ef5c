using Dapper;
using JobMatch.Notifications;
using Npgsql;

namespace JobMatch.Sms;

/// <summary>
/// Delivery reports from the gateway, keyed by the notification id the send put in <c>dlr-url</c>. Kannel reports
/// the SMSC's acceptance (8) and then delivery (1) or failure (2); a rejection by the SMSC (16) is a failure too.
/// Reports can arrive out of order (a "delivered" before its "accepted"), so a state only ever moves up:
/// nothing → smsc_accepted → delivered | failed, and a final state is never replaced. A failure marks the message
/// failed and runs the same follow-up as a permanent e-mail failure (the seeker's case workers are alerted), once.
/// </summary>
internal sealed class SmsDeliveryReports(NpgsqlDataSource db, IServiceProvider services, Outbox outbox, ILogger<SmsDeliveryReports> logger)
{
    public enum Result { Recorded, Ignored, Unknown }

    public static string? StateFor(int status) => status switch
    {
        1 => "delivered",
        2 or 16 => "failed",
        8 => "smsc_accepted",
        _ => null, // 4 (buffered by the SMSC) says nothing new
    };

    public async Task<Result> RecordAsync(Guid notificationId, int status, CancellationToken ct)
    {
        if (StateFor(status) is not { } state) return Result.Ignored;
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<ReportedRow>(new CommandDefinition(
            """
            UPDATE outbox_message
            SET delivery = @state, delivery_at = now(),
                status = CASE WHEN @state = 'failed' THEN 'failed_permanent' ELSE status END,
                last_error = CASE WHEN @state = 'failed' THEN 'SMS delivery report: failed (' || @status || ')' ELSE last_error END
            WHERE id = @notificationId AND channel = 'sms'
              AND (CASE delivery WHEN 'delivered' THEN 2 WHEN 'failed' THEN 2 WHEN 'smsc_accepted' THEN 1 ELSE 0 END)
                < (CASE @state WHEN 'smsc_accepted' THEN 1 ELSE 2 END)
            RETURNING kind, recipient_kind, recipient_id
            """, new { notificationId, state, status }, tx, cancellationToken: ct));
        if (row is not { } updated)
        {
            await tx.RollbackAsync(ct);
            var known = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM outbox_message WHERE id = @notificationId AND channel = 'sms')", new { notificationId }, cancellationToken: ct));
            return known ? Result.Ignored : Result.Unknown;
        }
        if (state == "failed" && services.GetKeyedService<IDeliveryFailureFollowUp>(updated.RecipientKind) is { } followUp)
        {
            await followUp.OnFailedAsync(connection, tx, new FailedDelivery(notificationId, updated.Kind, updated.RecipientKind, updated.RecipientId), ct);
        }
        await tx.CommitAsync(ct);
        if (state == "failed")
        {
            logger.LogWarning("SMS {NotificationId}: delivery failed (report {Status})", notificationId, status);
            outbox.DispatchSoon();
        }
        return Result.Recorded;
    }

    private sealed class ReportedRow
    {
        public string Kind { get; set; } = "";
        public string RecipientKind { get; set; } = "";
        public string RecipientId { get; set; } = "";
    }
}
