using Dapper;
using Npgsql;

namespace JobMatch.Sms;

/// <summary>
/// On erasure: every message still queued for the seeker (SMS and e-mail) is cancelled, the offer answer codes go,
/// and, after the erasure committed, the SMS files written for the seeker (they hold the number and the text) are
/// deleted. The outbox rows stay, holding ids only.
/// </summary>
internal sealed class SmsErasure(NpgsqlDataSource db, SmsFolder folder, ILogger<SmsErasure> logger) : Seekers.ISeekerErasureHook
{
    public async Task ErasingAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long seekerId, CancellationToken ct)
    {
        var recipientId = seekerId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE outbox_message SET status = 'cancelled', finished_at = now(), last_error = 'recipient erased'
            WHERE recipient_kind = 'seeker' AND recipient_id = @recipientId AND status IN ('pending', 'sending')
            """, new { recipientId }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM sms_answer_code WHERE seeker_id = @seekerId", new { seekerId }, tx, cancellationToken: ct));
    }

    public async Task ErasedAsync(long seekerId, CancellationToken ct)
    {
        var recipientId = seekerId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var connection = await db.OpenConnectionAsync(ct);
        var ids = await connection.QueryAsync<Guid>(new CommandDefinition(
            "SELECT id FROM outbox_message WHERE channel = 'sms' AND recipient_kind = 'seeker' AND recipient_id = @recipientId",
            new { recipientId }, cancellationToken: ct));
        var deleted = folder.Delete(ids);
        if (deleted > 0) logger.LogInformation("Erasure: {Files} SMS files deleted", deleted);
    }
}
