using System.Threading.RateLimiting;
using Dapper;
using JobMatch.Privacy;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JobMatch.Sms;

/// <summary>
/// Answers to offers given by replying to the offer SMS. The sender is matched through the keyed blind index of the
/// phone (never by comparing numbers in clear), then the code must belong to an open, unexpired, unused offer of
/// that seeker; the answer is recorded by Matching (<see cref="IOfferReplies"/>), exactly as the web answer is (accepting is the
/// consent to share name and phone with that employer for that vacancy, which the offer SMS said). Every other case
/// (unknown number, wrong, used or expired code, someone else's number) gets the same neutral reply, so a reply
/// discloses nothing. Each sender has <see cref="SmsOptions.RepliesPerHour"/> replies an hour; past that, nothing is
/// sent back at all (no reply to feed a loop or a guessing game).
/// </summary>
internal sealed class SmsReplies(
    NpgsqlDataSource db,
    FieldEncryption encryption,
    IOfferReplies offers,
    SmsTemplates templates,
    IOptions<SmsOptions> options,
    ILogger<SmsReplies> logger) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, options.Value.RepliesPerHour),
            Window = TimeSpan.FromHours(1),
            QueueLimit = 0,
        }));

    public enum Outcome { Accepted, Declined, Neutral, Limited }

    /// <summary>The outcome and the reply text (null when nothing is to be sent back).</summary>
    public async Task<(Outcome Outcome, string? Reply)> HandleAsync(string? from, string? text, CancellationToken ct)
    {
        var ring = await encryption.RingAsync(ct);
        var phone = Identity.PhoneNumber.Normalize(from);
        var index = phone is null ? null : ring.BlindIndex(phone, Seekers.EncryptedFields.Phone);
        // The limiter's key is the blind index too: no number is kept in memory in clear.
        using var lease = _limiter.AttemptAcquire(index is null ? "unknown" : Convert.ToHexString(index));
        if (!lease.IsAcquired)
        {
            logger.LogInformation("SMS reply ignored: sender over the hourly limit");
            return (Outcome.Limited, null);
        }
        var neutral = (Outcome.Neutral, templates.Word("NotUnderstood", "bn"));
        if (index is null || SmsAnswer.Parse(text) is not { } answer) return Logged(neutral, "not an answer");

        await using var connection = await db.OpenConnectionAsync(ct);
        var code = await connection.QuerySingleOrDefaultAsync<CodeRow>(new CommandDefinition(
            """
            SELECT c.match_id, c.seeker_id, s.user_id, i.preferred_language
            FROM seeker_identity i
            JOIN seeker s ON s.id = i.seeker_id AND s.status <> 'erased'
            JOIN sms_answer_code c ON c.seeker_id = s.id AND c.code = @Code
            WHERE i.phone_index = @index AND c.used_at IS NULL AND c.expires_at > now()
            LIMIT 1
            """, new { answer.Code, index }, cancellationToken: ct));
        if (code is null) return Logged(neutral, "no open code for this sender");
        var refused = await offers.AnswerAsync(code.MatchId, code.SeekerId, code.UserId, answer.Accept, async () =>
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE sms_answer_code SET used_at = now() WHERE match_id = @MatchId AND used_at IS NULL AND expires_at > now()",
                new { code.MatchId }, cancellationToken: ct)) == 1, ct);
        if (refused is not null) return Logged(neutral, refused);
        logger.LogInformation("Offer {MatchId} {Answer} by SMS reply", code.MatchId, answer.Accept ? "accepted" : "declined");
        return answer.Accept
            ? (Outcome.Accepted, templates.Word("Accepted", code.PreferredLanguage))
            : (Outcome.Declined, templates.Word("Declined", code.PreferredLanguage));
    }

    private (Outcome, string?) Logged((Outcome, string?) reply, string why)
    {
        logger.LogInformation("SMS reply answered neutrally: {Why}", why);
        return reply;
    }

    public void Dispose() => _limiter.Dispose();

    private sealed class CodeRow
    {
        public long MatchId { get; set; }
        public long SeekerId { get; set; }
        public Guid? UserId { get; set; }
        public string PreferredLanguage { get; set; } = "bn";
    }
}
