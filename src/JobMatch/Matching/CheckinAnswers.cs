using Dapper;
using JobMatch.Audit;
using JobMatch.Notifications;
using JobMatch.Notifications.Templates;
using Npgsql;

namespace JobMatch.Matching;

/// <summary>
/// The employer's answer to a retention check-in. "Still employed" closes a due check-in. "Left" records when and
/// why, closes this and the later check-ins of the same hire (the person is gone), and alerts every case worker of
/// the seeker's agency through the outbox in the same transaction: the e-mail exists exactly when the answer does,
/// and says nothing but "you have a notification".
/// </summary>
internal sealed class CheckinAnswers(NpgsqlDataSource db, Outbox outbox, AuditLog audit, TimeProvider time)
{
    public enum Result { Done, Invalid, Conflict }

    /// <summary>Why a person left (fixed list, EN/BN labels in CheckinText): nothing free-text about the person.</summary>
    public static readonly string[] LeftReasons = ["resigned", "better_job", "dismissed", "contract_ended", "moved_away", "other"];

    /// <summary>Where the alert sends the case worker (sign-in needed).</summary>
    public const string AlertPath = "/casework/offers";

    public async Task<(Result, Dictionary<string, string[]>)> StillEmployedAsync(CheckinQueries.Checkin checkin, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (checkin.Status != "pending") return (Result.Conflict, errors);
        if (!checkin.Due)
        {
            errors["answer"] = ["This check-in is not due yet; until then you can only tell us that the person left."];
            return (Result.Invalid, errors);
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE retention_checkin SET status = 'still_employed', answered_at = now() WHERE id = @Id AND status = 'pending'",
            new { checkin.Id }, cancellationToken: ct));
        if (updated == 0) return (Result.Conflict, errors);
        await audit.WriteAsync("retention_still_employed", $"match:{checkin.MatchId}", ct, connection: connection);
        return (Result.Done, errors);
    }

    public async Task<(Result, Dictionary<string, string[]>)> LeftAsync(CheckinQueries.Checkin checkin, DateOnly? leftOn, string? reason, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (leftOn is not { } left) errors["leftOn"] = ["Say when the person left."];
        else if (left > today) errors["leftOn"] = ["The date is in the future."];
        else if (checkin.HiredStartDate is { } start && left < DateOnly.FromDateTime(start)) errors["leftOn"] = ["The date is before the start of the job."];
        if (reason is null || !LeftReasons.Contains(reason)) errors["reason"] = [$"Use one of: {string.Join(", ", LeftReasons)}."];
        if (errors.Count > 0) return (Result.Invalid, errors);
        if (checkin.Status != "pending") return (Result.Conflict, errors);

        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var closed = (await connection.QueryAsync<long>(new CommandDefinition(
            """
            UPDATE retention_checkin SET status = 'left', answered_at = now(), left_on = @leftOn, left_reason = @reason
            WHERE match_id = @MatchId AND status = 'pending' AND months >= @Months
            RETURNING id
            """, new { checkin.MatchId, checkin.Months, leftOn = leftOn!.Value.ToDateTime(TimeOnly.MinValue), reason }, tx, cancellationToken: ct))).AsList();
        if (!closed.Contains(checkin.Id)) return (Result.Conflict, errors); // answered meanwhile: roll back

        var caseWorkers = await connection.QueryAsync<Guid>(new CommandDefinition(
            """
            SELECT u.id FROM app_user u JOIN seeker s ON s.agency_id = u.organisation_id
            WHERE s.id = @SeekerId AND u.role = 'case_worker' AND NOT u.disabled
            ORDER BY u.id
            """, new { checkin.SeekerId }, tx, cancellationToken: ct));
        var alerted = 0;
        foreach (var userId in caseWorkers)
        {
            var message = NewOutboxMessage.Create(EmailTemplates.Generic, RecipientKinds.User, userId.ToString(),
                new GenericNotificationArgs(AlertPath), dedupeKey: $"retention-left:{checkin.Id}:{userId}");
            if (await outbox.EnqueueAsync(connection, tx, message, ct)) alerted++;
        }
        if (alerted > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE retention_checkin SET case_worker_alerted_at = now() WHERE id = @Id", new { checkin.Id }, tx, cancellationToken: ct));
        }
        await audit.WriteAsync("retention_left", $"match:{checkin.MatchId}", ct, connection: connection, transaction: tx);
        await tx.CommitAsync(ct);
        if (alerted > 0) outbox.DispatchSoon();
        return (Result.Done, errors);
    }
}
