using Dapper;
using JobMatch.Notifications;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JobMatch.Sms;

/// <summary>
/// Reminds seekers by SMS of offers they have not answered, <see cref="SmsOptions.RemindDaysBeforeExpiry"/> days
/// before the answer code expires; at most once per offer (<c>reminded_at</c> is set with the outbox row).
/// </summary>
internal sealed class SmsReminders(NpgsqlDataSource db, Outbox outbox, IOptions<SmsOptions> options)
{
    /// <returns>How many reminders were queued.</returns>
    public async Task<int> RemindAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var due = (await connection.QueryAsync<DueRow>(new CommandDefinition(
            """
            -- audience: job seeker (a reminder of their own open invitation; a match the rule forbids is withdrawn, not 'invited')
            WITH due AS (
                SELECT c.match_id FROM sms_answer_code c
                JOIN match m ON m.id = c.match_id AND m.status = 'invited'
                JOIN vacancy v ON v.id = m.vacancy_id AND v.status = 'open'
                WHERE c.used_at IS NULL AND c.reminded_at IS NULL AND c.expires_at > now()
                  AND c.expires_at <= now() + make_interval(days => @days)
                ORDER BY c.match_id
                FOR UPDATE OF c SKIP LOCKED
            ), reminded AS (
                UPDATE sms_answer_code c SET reminded_at = now() FROM due WHERE c.match_id = due.match_id
                RETURNING c.match_id, c.seeker_id, c.code
            )
            SELECT r.match_id, r.seeker_id, r.code, v.title_en, v.title_bn
            FROM reminded r JOIN match m ON m.id = r.match_id JOIN vacancy v ON v.id = m.vacancy_id
            """, new { days = options.Value.RemindDaysBeforeExpiry }, tx, cancellationToken: ct))).ToList();
        foreach (var row in due)
        {
            await outbox.EnqueueAsync(connection, tx, NewOutboxMessage.Sms(SmsTemplates.Reminder, RecipientKinds.Seeker,
                row.SeekerId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                new SmsReminderArgs(row.MatchId, row.TitleEn ?? row.TitleBn ?? "", row.TitleBn, row.Code), $"sms_reminder:{row.MatchId}"), ct);
        }
        await tx.CommitAsync(ct);
        if (due.Count > 0) outbox.DispatchSoon();
        return due.Count;
    }

    private sealed class DueRow
    {
        public long MatchId { get; set; }
        public long SeekerId { get; set; }
        public string Code { get; set; } = "";
        public string? TitleEn { get; set; }
        public string? TitleBn { get; set; }
    }
}
