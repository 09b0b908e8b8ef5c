using JobMatch.Database;
using Dapper;
using JobMatch.Notifications;
using JobMatch.Notifications.Templates;
using Npgsql;

namespace JobMatch.Matching;

/// <summary>
/// Retention check-ins after a hire: rows at 1, 3 and 6 months after the start date (UNIQUE (match_id, months) makes
/// scheduling idempotent); when one is due, the employer is asked by e-mail to sign in and answer (at most once:
/// <c>employer_asked_at</c> is set with the outbox row); two weeks after asking without an answer the check-in becomes
/// 'no_answer' and the seeker's case workers are alerted. Erased seekers are left alone.
/// </summary>
internal sealed class RetentionCheckins(NpgsqlDataSource db, Outbox outbox, CaseWorkerAlerts alerts)
{
    public static readonly int[] Months = [1, 3, 6];
    public static readonly TimeSpan AnswerWindow = TimeSpan.FromDays(14);

    /// <returns>How many check-ins were created (0 when run again).</returns>
    public async Task<int> ScheduleAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            -- audience: system (schedules check-ins; shows no one anything)
            INSERT INTO retention_checkin (match_id, months, due_on)
            SELECT m.id, x.months, (m.hired_start_date + make_interval(months => x.months))::date
            FROM match m CROSS JOIN unnest(@Months) AS x(months)
            WHERE m.status = 'hired' AND m.hired_start_date IS NOT NULL
            ON CONFLICT (match_id, months) DO NOTHING
            """, new { Months }, cancellationToken: ct));
    }

    /// <summary>Asks employers about the check-ins due by <paramref name="today"/>. Returns how many were asked.</summary>
    public async Task<int> AskDueAsync(DateOnly today, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var asked = (await connection.QueryAsync<long>(new CommandDefinition(
            """
            WITH due AS (
                SELECT rc.id FROM retention_checkin rc
                JOIN employer_candidate ec ON ec.match_id = rc.match_id
                WHERE rc.status = 'pending' AND rc.employer_asked_at IS NULL AND rc.due_on <= @today
                ORDER BY rc.id
                FOR UPDATE OF rc SKIP LOCKED
            )
            UPDATE retention_checkin rc SET employer_asked_at = now() FROM due WHERE rc.id = due.id RETURNING rc.id
            """, new { today }, tx, cancellationToken: ct))).ToArray();
        // R4: what the employer's e-mail shows is read as jm_employer_api; the outbox rows are written as the app.
        await RestrictedRead.SetRoleAsync(connection, tx, EmployerReads.Role, ct);
        var due = (await connection.QueryAsync<DueRow>(new CommandDefinition(
            """
            SELECT rc.id, rc.months, ec.seeker_id, v.employer_id, v.title_en, v.title_bn, ec.handle, m.hired_start_date
            FROM retention_checkin rc JOIN employer_candidate ec ON ec.match_id = rc.match_id
            JOIN match m ON m.id = rc.match_id JOIN vacancy v ON v.id = ec.vacancy_id
            WHERE rc.id = ANY (@asked)
            ORDER BY rc.id
            """, new { asked }, tx, cancellationToken: ct))).ToList();
        await RestrictedRead.ResetRoleAsync(connection, tx, ct);
        foreach (var row in due)
        {
            var args = new RetentionCheckinArgs(row.Id, row.Months, row.TitleEn, row.TitleBn, row.Handle, DateOnly.FromDateTime(row.HiredStartDate));
            await outbox.EnqueueAsync(connection, tx, NewOutboxMessage.Create(EmailTemplates.RetentionCheckin, RecipientKinds.Employer,
                row.EmployerId.ToString(), args, $"retention_checkin:{row.Id}"), ct);
            // The seeker hears a friendly word by SMS (sent only if they have a phone and accept notifications).
            await outbox.EnqueueAsync(connection, tx, NewOutboxMessage.Sms(Sms.SmsTemplates.Checkin, RecipientKinds.Seeker,
                row.SeekerId.ToString(System.Globalization.CultureInfo.InvariantCulture), new Sms.SmsCheckinArgs(row.Id), $"sms_checkin:{row.Id}"), ct);
        }
        await tx.CommitAsync(ct);
        if (due.Count > 0) outbox.DispatchSoon();
        return due.Count;
    }

    /// <summary>Check-ins asked about two weeks ago or more and still unanswered: 'no_answer', case workers alerted. Returns how many.</summary>
    public async Task<int> CloseUnansweredAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var unanswered = (await connection.QueryAsync<(long Id, int Months, long SeekerId)>(new CommandDefinition(
            """
            -- audience: case work (alerts the seeker's case worker)
            WITH late AS (
                SELECT rc.id FROM retention_checkin rc
                JOIN match m ON m.id = rc.match_id JOIN seeker s ON s.id = m.seeker_id
                WHERE rc.status = 'pending' AND rc.employer_asked_at < now() - @AnswerWindow AND s.status <> 'erased'
                ORDER BY rc.id
                FOR UPDATE OF rc SKIP LOCKED
            ), closed AS (
                UPDATE retention_checkin rc SET status = 'no_answer', case_worker_alerted_at = now() FROM late WHERE rc.id = late.id
                RETURNING rc.id, rc.match_id, rc.months
            )
            SELECT closed.id, closed.months, m.seeker_id FROM closed JOIN match m ON m.id = closed.match_id ORDER BY closed.id
            """, new { AnswerWindow }, tx, cancellationToken: ct))).ToList();
        foreach (var (id, months, seekerId) in unanswered)
        {
            await alerts.AlertAsync(connection, tx, seekerId, EmailTemplates.RetentionNoAnswer,
                reference => new RetentionNoAnswerArgs(id, reference, months), $"retention_no_answer:{id}", ct);
        }
        await tx.CommitAsync(ct);
        if (unanswered.Count > 0) outbox.DispatchSoon();
        return unanswered.Count;
    }

    private sealed class DueRow
    {
        public long Id { get; set; }
        public int Months { get; set; }
        public long SeekerId { get; set; }
        public Guid EmployerId { get; set; }
        public string? TitleEn { get; set; }
        public string? TitleBn { get; set; }
        public string Handle { get; set; } = "";
        public DateTime HiredStartDate { get; set; }
    }
}
