using Dapper;
using JobMatch.Identity;
using JobMatch.MatchingContract;
using JobMatch.Seekers;
using Npgsql;

namespace JobMatch.Matching;

/// <summary>
/// Case-worker review (SECURITY.md R9): the proposals for the agency's own seekers, with the vacancy and the
/// seeker's name (each name read is audited through <see cref="SeekerContact"/>), approved (→ approved → shown,
/// so the employer sees it) or skipped with a reason. A proposal of another agency's seeker is not found.
/// Agencies that do not review never have proposals here: the proposer writes 'shown' for them.
/// </summary>
internal sealed class ReviewQueries(NpgsqlDataSource db, MatchTransitions transitions, SeekerContact contacts, Audit.AuditLog audit)
{
    /// <param name="Kind">wage, apprenticeship or self: a self-employment or cooperative place is labelled as such for the case worker.</param>
    public sealed record ReviewVacancy(long Id, string EmployerName, string? TitleEn, string? TitleBn, int? WageMinBdt, int? WageMaxBdt, CardPlace? Upazila,
        string Kind = "wage");

    public sealed record ReviewItem(long MatchId, string Reference, string? FullName, ReviewVacancy Vacancy, CardExplanation Explanation, DateTimeOffset ProposedAt);

    public sealed record ReviewPage(IReadOnlyList<ReviewItem> Items, int Page, int PageSize, int Total, bool AgencyReviews);

    private sealed class Row
    {
        public long MatchId { get; set; }
        public long SeekerId { get; set; }
        public string Reference { get; set; } = "";
        public long VacancyId { get; set; }
        public string EmployerName { get; set; } = "";
        public string? TitleEn { get; set; }
        public string? TitleBn { get; set; }
        public int? WageMinBdt { get; set; }
        public int? WageMaxBdt { get; set; }
        public string? UpazilaCode { get; set; }
        public string? UpazilaEn { get; set; }
        public string? UpazilaBn { get; set; }
        public string Kind { get; set; } = "wage";
        public string Explanation { get; set; } = "{}";
        public DateTimeOffset ProposedAt { get; set; }
        public int Total { get; set; }
    }

    public async Task<ReviewPage> ListAsync(Guid agencyId, int page, int pageSize, Guid actorUserId, CancellationToken ct)
    {
        page = Math.Max(1, page);
        await using var connection = await db.OpenConnectionAsync(ct);
        var reviews = await connection.ExecuteScalarAsync<bool?>(new CommandDefinition(
            "SELECT requires_match_review FROM organisation WHERE id = @agencyId", new { agencyId }, cancellationToken: ct)) ?? true;
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT m.id AS match_id, m.seeker_id, s.reference, v.id AS vacancy_id, o.name AS employer_name, v.title_en, v.title_bn,
                   v.wage_min_bdt, v.wage_max_bdt, v.upazila_code, u.name_en AS upazila_en, u.name_bn AS upazila_bn, v.kind,
                   m.explanation::text AS explanation, m.proposed_at, count(*) OVER ()::int AS total
            FROM match m
            JOIN match_rule r ON r.match_id = m.id AND r.forbidden_reason IS NULL
            JOIN seeker s ON s.id = m.seeker_id
            JOIN vacancy v ON v.id = m.vacancy_id
            JOIN organisation o ON o.id = v.employer_id
            LEFT JOIN upazila u ON u.code = v.upazila_code
            WHERE s.agency_id = @agencyId AND m.status = 'proposed' AND v.status = 'open'
            ORDER BY m.proposed_at, m.id
            OFFSET @offset LIMIT @pageSize
            """, new { agencyId, offset = (page - 1) * pageSize, pageSize }, cancellationToken: ct))).ToList();

        var names = new Dictionary<long, string?>();
        foreach (var seekerId in rows.Select(r => r.SeekerId).Distinct())
        {
            names[seekerId] = (await contacts.ReadAsync(seekerId, "case_work", ct, actorUserId))?.FullName;
        }
        var items = rows.Select(r => new ReviewItem(r.MatchId, r.Reference, names[r.SeekerId],
            new ReviewVacancy(r.VacancyId, r.EmployerName, r.TitleEn, r.TitleBn, r.WageMinBdt, r.WageMaxBdt,
                r.UpazilaCode is null ? null : new CardPlace(r.UpazilaCode, r.UpazilaEn ?? r.UpazilaCode, r.UpazilaBn ?? r.UpazilaCode), r.Kind),
            ShortlistQueries.ExplanationOf(r.Explanation), r.ProposedAt)).ToList();
        return new ReviewPage(items, page, pageSize, rows.FirstOrDefault()?.Total ?? 0, reviews);
    }

    public sealed class SeekerMatch
    {
        public long MatchId { get; init; }
        public string Status { get; init; } = "";
        public string EmployerName { get; init; } = "";
        public string? TitleEn { get; init; }
        public string? TitleBn { get; init; }
        public DateTime UpdatedAt { get; init; }
    }

    /// <summary>
    /// One seeker's matches for the case worker's seeker page, newest first: which employer and job, and where each
    /// stands. The caller has already checked the seeker belongs to the agency.
    /// </summary>
    public async Task<IReadOnlyList<SeekerMatch>> ForSeekerAsync(long seekerId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<SeekerMatch>(new CommandDefinition(
            """
            SELECT m.id AS match_id, m.status, o.name AS employer_name, v.title_en, v.title_bn, m.updated_at
            FROM match m
            JOIN vacancy v ON v.id = m.vacancy_id
            JOIN organisation o ON o.id = v.employer_id
            WHERE m.seeker_id = @seekerId
            ORDER BY m.updated_at DESC, m.id DESC
            LIMIT 100
            """, new { seekerId }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>
    /// Approves and shows in one transaction, provided the one rule (<see cref="MatchRule"/>) still permits the match:
    /// <see cref="MatchTransitions"/> refuses to move a forbidden match towards the employer.
    /// </summary>
    public async Task<MatchAction> ApproveAsync(Guid agencyId, long matchId, Guid actorUserId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var seeker = await OwnSeekerAsync(connection, tx, agencyId, matchId, ct);
        if (seeker is null) return MatchAction.NotFound;
        if (!seeker.Matchable) return MatchAction.NotMatchable;
        var approved = await transitions.MoveAsync(connection, tx, matchId, new MatchTransitions.Change(MatchStatus.Approved, actorUserId, Roles.CaseWorker), ct);
        if (approved != MatchTransitions.Outcome.Moved) return OutcomeRecorder.Map(approved);
        var shown = await transitions.MoveAsync(connection, tx, matchId, new MatchTransitions.Change(MatchStatus.Shown, actorUserId, Roles.CaseWorker), ct);
        if (shown != MatchTransitions.Outcome.Moved) return OutcomeRecorder.Map(shown);
        await tx.CommitAsync(ct);
        return MatchAction.Done;
    }

    public async Task<MatchAction> SkipAsync(Guid agencyId, long matchId, string? reason, Guid actorUserId, CancellationToken ct)
    {
        if (reason is null || !OutcomeReasons.Skip.Contains(reason)) return MatchAction.Invalid;
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (await OwnSeekerAsync(connection, tx, agencyId, matchId, ct) is not { } seeker) return MatchAction.NotFound;
        var skipped = await transitions.MoveAsync(connection, tx, matchId, new MatchTransitions.Change(MatchStatus.Skipped, actorUserId, Roles.CaseWorker, reason), ct);
        if (skipped != MatchTransitions.Outcome.Moved) return OutcomeRecorder.Map(skipped);
        // A safety concern is raised to the agency's case-work supervisors: an audited event that their home page lists.
        if (reason == SafetyConcern) await audit.WriteAsync(SafetyConcernAction, SeekerReference.Subject(seeker.Reference), ct, actorUserId, connection, tx);
        await tx.CommitAsync(ct);
        return MatchAction.Done;
    }

    /// <summary>The match's seeker when it belongs to this agency (else null: 404), and whether the one rule still permits the match.</summary>
    private static async Task<OwnRow?> OwnSeekerAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid agencyId, long matchId, CancellationToken ct) =>
        await connection.QuerySingleOrDefaultAsync<OwnRow>(new CommandDefinition(
            """
            SELECT s.id AS seeker_id, s.reference, r.forbidden_reason IS NULL AS matchable
            FROM match m JOIN seeker s ON s.id = m.seeker_id JOIN match_rule r ON r.match_id = m.id
            WHERE m.id = @matchId AND s.agency_id = @agencyId AND s.status <> 'erased'
            """, new { matchId, agencyId }, tx, cancellationToken: ct));

    /// <param name="Action">What happened: <see cref="SafetyConcernAction"/> or <see cref="OutcomeRecorder.LowWageHireAction"/>.</param>
    public sealed record SafetyAlert(DateTime At, string Reference, string Action);

    /// <summary>
    /// Safety concerns raised in review, and hires confirmed at a low wage, on the agency's seekers in the last 30
    /// days, newest first (for every case worker's home page).
    /// </summary>
    public async Task<IReadOnlyList<SafetyAlert>> SafetyAlertsAsync(Guid agencyId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<SafetyAlert>(new CommandDefinition(
            """
            SELECT a.at, s.reference, a.action
            FROM audit_log a JOIN seeker s ON a.subject = 'seeker:' || s.reference
            WHERE a.action = ANY(@actions) AND s.agency_id = @agencyId AND s.status <> 'erased' AND a.at > now() - interval '30 days'
            ORDER BY a.at DESC
            LIMIT 20
            """, new { agencyId, actions = new[] { SafetyConcernAction, OutcomeRecorder.LowWageHireAction } }, cancellationToken: ct));
        return rows.AsList();
    }

    public const string SafetyConcern = "safety_concern";
    public const string SafetyConcernAction = "safety_concern_raised";

    private sealed class OwnRow
    {
        public long SeekerId { get; set; }
        public string Reference { get; set; } = "";
        public bool Matchable { get; set; }
    }
}
