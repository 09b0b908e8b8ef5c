using System.Security.Cryptography;
using Dapper;
using JobMatch.Notifications;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JobMatch.Sms;

/// <summary>
/// The offer SMS, written in the invitation's transaction: a fresh random 4-digit answer code for the seeker (never
/// one they had before, so an old reply cannot answer a newer offer) and the outbox row. Written only when the
/// seeker has a phone and an active 'notifications' consent; the number itself is read when sending.
/// </summary>
internal sealed class SmsAnswerCodes(Outbox outbox, IOptions<SmsOptions> options)
{
    /// <returns>True when an offer SMS was queued.</returns>
    public async Task<bool> EnqueueOfferAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long matchId, long seekerId,
        string titleEn, string? titleBn, string employerName, CancellationToken ct)
    {
        if (!await ReachableAsync(connection, tx, seekerId, ct)) return false;
        var code = await NewCodeAsync(connection, tx, matchId, seekerId, ct);
        if (code is null) return false; // this match already has its code (the invitation was written twice)
        var args = new SmsOfferArgs(matchId, titleEn, titleBn, employerName, code);
        return await outbox.EnqueueAsync(connection, tx, NewOutboxMessage.Sms(SmsTemplates.Offer, RecipientKinds.Seeker,
            seekerId.ToString(System.Globalization.CultureInfo.InvariantCulture), args, $"sms_offer:{matchId}"), ct);
    }

    /// <summary>
    /// The confirmation SMS after the seeker (or their case worker) answered an offer on the web, written in the
    /// answer's transaction: the same text the reply to an SMS answer carries, in the seeker's language, when they
    /// have a phone and an active 'notifications' consent. An answer by SMS gets its confirmation as the reply
    /// instead, so it does not come here. The offer's answer code is spent too: an SMS answer after a web answer
    /// would only get the neutral reply.
    /// </summary>
    /// <returns>True when a confirmation SMS was queued.</returns>
    public async Task<bool> EnqueueAnswerConfirmationAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long matchId, long seekerId, bool accepted,
        CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE sms_answer_code SET used_at = now() WHERE match_id = @matchId AND used_at IS NULL", new { matchId }, tx, cancellationToken: ct));
        if (!await ReachableAsync(connection, tx, seekerId, ct)) return false;
        return await outbox.EnqueueAsync(connection, tx, NewOutboxMessage.Sms(SmsTemplates.AnswerConfirmation, RecipientKinds.Seeker,
            seekerId.ToString(System.Globalization.CultureInfo.InvariantCulture), new SmsAnswerConfirmationArgs(matchId, accepted), $"sms_answer:{matchId}"), ct);
    }

    /// <summary>
    /// A phone of their own and an active 'notifications' consent, whichever channels it names: the number and the
    /// choice of SMS are read when sending (<see cref="SeekerPhoneResolver"/>), so a later change of mind still counts.
    /// </summary>
    private static Task<bool> ReachableAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long seekerId, CancellationToken ct) =>
        connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            """
            SELECT EXISTS (SELECT 1 FROM seeker s JOIN seeker_identity i ON i.seeker_id = s.id
                           WHERE s.id = @seekerId AND s.status <> 'erased' AND i.phone IS NOT NULL)
               AND EXISTS (SELECT 1 FROM active_consent c WHERE c.seeker_id = @seekerId AND c.purpose = 'notifications')
            """, new { seekerId }, tx, cancellationToken: ct));

    /// <summary>
    /// Draws codes until one is free for this seeker. ON CONFLICT keeps the transaction usable when a code is taken;
    /// with 9,000 codes and a handful of offers per person the first draw almost always wins.
    /// </summary>
    private async Task<string?> NewCodeAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long matchId, long seekerId, CancellationToken ct)
    {
        var expiresAt = DateTimeOffset.UtcNow.AddDays(Math.Max(1, options.Value.AnswerCodeDays));
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var code = RandomNumberGenerator.GetInt32(1000, 10000).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var written = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                """
                INSERT INTO sms_answer_code (seeker_id, code, match_id, expires_at) VALUES (@seekerId, @code, @matchId, @expiresAt)
                ON CONFLICT DO NOTHING RETURNING code
                """, new { seekerId, code, matchId, expiresAt }, tx, cancellationToken: ct));
            if (written is not null) return written;
            var matchHasCode = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM sms_answer_code WHERE match_id = @matchId)", new { matchId }, tx, cancellationToken: ct));
            if (matchHasCode) return null;
        }
        throw new InvalidOperationException("No free answer code for this seeker.");
    }
}
