using JobMatch.Database;
using System.Globalization;
using Dapper;
using Npgsql;

namespace JobMatch.Matching;

/// <summary>
/// Retention check-ins as an employer sees them: only for hires on the employer's own vacancies (anything else is
/// not found), read through the one rule's <c>employer_candidate</c> view. The person is named by the per-vacancy
/// handle and the job, never by name.
/// </summary>
internal sealed class CheckinQueries(NpgsqlDataSource db)
{
    public sealed class Checkin
    {
        public long Id { get; set; }
        public long MatchId { get; set; }
        public long SeekerId { get; set; }
        public int Months { get; set; }
        public DateTime DueOn { get; set; }
        public string Status { get; set; } = "";
        /// <summary>The employer's per-vacancy handle of the person (never case work's reference).</summary>
        public string Handle { get; set; } = "";
        public long VacancyId { get; set; }
        public string? TitleEn { get; set; }
        public string? TitleBn { get; set; }
        public DateTime? HiredStartDate { get; set; }
        public bool Due { get; set; }

        public string Title => (CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "bn" ? TitleBn ?? TitleEn : TitleEn ?? TitleBn) ?? "";
    }

    private const string Select = """
        SELECT r.id, r.match_id, ec.seeker_id, r.months, r.due_on, r.status, ec.handle, v.id AS vacancy_id,
               v.title_en, v.title_bn, m.hired_start_date, r.due_on <= current_date AS due
        FROM retention_checkin r
        JOIN employer_candidate ec ON ec.match_id = r.match_id
        JOIN match m ON m.id = r.match_id
        JOIN vacancy v ON v.id = m.vacancy_id
        WHERE ec.employer_id = @employerId
        """;

    /// <summary>The employer's pending check-ins: those due first (oldest first), then the coming ones.</summary>
    public async Task<IReadOnlyList<Checkin>> ListPendingAsync(Guid employerId, CancellationToken ct)
    {
        await using var read = await EmployerReads.BeginAsync(db, ct); // R4: as jm_employer_api
        var connection = read.Connection;
        var rows = await connection.QueryAsync<Checkin>(new CommandDefinition(
            Select + " AND r.status = 'pending' ORDER BY (r.due_on <= current_date) DESC, r.due_on, r.id LIMIT 200", new { employerId }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>One check-in of the employer's (answered or not), or null.</summary>
    public async Task<Checkin?> FindAsync(long checkinId, Guid employerId, CancellationToken ct)
    {
        await using var read = await EmployerReads.BeginAsync(db, ct);
        var connection = read.Connection;
        return await connection.QuerySingleOrDefaultAsync<Checkin>(new CommandDefinition(
            Select + " AND r.id = @checkinId", new { employerId, checkinId }, cancellationToken: ct));
    }

    public sealed class FollowUp
    {
        public long Id { get; set; }
        public string SeekerReference { get; set; } = "";
        public string? TitleEn { get; set; }
        public string? TitleBn { get; set; }
        public string EmployerName { get; set; } = "";
        public int Months { get; set; }
        public string Status { get; set; } = "";
        public DateTime? LeftOn { get; set; }
        public string? LeftReason { get; set; }

        public string Title => (CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "bn" ? TitleBn ?? TitleEn : TitleEn ?? TitleBn) ?? "";
    }

    /// <summary>
    /// For the case workers of an agency: hires of their seekers where, in the last 90 days, the employer said the
    /// person left or did not answer (one line per hire: the earliest such check-in).
    /// </summary>
    public async Task<IReadOnlyList<FollowUp>> FollowUpsAsync(Guid agencyId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<FollowUp>(new CommandDefinition(
            """
            -- audience: case work (follow-ups of the agency's own seekers)
            SELECT DISTINCT ON (r.match_id) r.id, s.reference AS seeker_reference, v.title_en, v.title_bn, o.name AS employer_name,
                   r.months, r.status, r.left_on, r.left_reason
            FROM retention_checkin r
            JOIN match m ON m.id = r.match_id
            JOIN seeker s ON s.id = m.seeker_id
            JOIN vacancy v ON v.id = m.vacancy_id
            JOIN organisation o ON o.id = v.employer_id
            WHERE s.agency_id = @agencyId AND s.status <> 'erased' AND r.status IN ('left', 'no_answer')
              AND coalesce(r.answered_at, r.case_worker_alerted_at, r.due_on::timestamptz) > now() - interval '90 days'
            ORDER BY r.match_id, r.months
            LIMIT 200
            """, new { agencyId }, cancellationToken: ct));
        return rows.AsList();
    }
}
