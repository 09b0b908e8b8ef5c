using Dapper;
using JobMatch.Identity;
using JobMatch.MatchingContract;
using Npgsql;

namespace JobMatch.Matching;

/// <summary>
/// The employer's side of a match: invite to interview, then the outcome (interviewed, hired, not selected with a
/// reason, candidate withdrew). Each step is one transaction through <see cref="MatchTransitions"/>, which records
/// who and when in match_event (the source of training labels, <see cref="MatchStatus.Label"/>). Callers pass a
/// match id they found through <see cref="ShortlistQueries"/> for the caller's own vacancy.
/// </summary>
internal sealed class OutcomeRecorder(NpgsqlDataSource db, MatchTransitions transitions, OfferNotifications offers, Notifications.Outbox outbox,
    Notifications.CaseWorkerAlerts alerts, Audit.AuditLog audit, Vacancies.Taxonomy taxonomy, TimeProvider time)
{
    /// <summary>
    /// A hire at less than this share of the vacancy's posted minimum is "far below the posted range": 80 %, because
    /// the usual honest gaps (a trial month, deductions for meals or lodging the employer provides) stay within a
    /// fifth, while a hire recorded at a fraction of what was advertised (500 taka against 10,500 was seen) is either
    /// a typing slip or a bait-and-switch on someone with little power to refuse; both deserve a second look.
    /// </summary>
    public const decimal FarBelowPostedShare = 0.8m;

    /// <summary>The audited action the case workers' home page lists (subject: the seeker's reference).</summary>
    public const string LowWageHireAction = "low_wage_hire_recorded";

    /// <summary>Why a hire's wage needs the employer's confirmation: the sector minimum and/or the posted minimum it is under.</summary>
    public sealed record WageConcern(int? SectorFloor, int? PostedMin);

    /// <summary>
    /// What recording an outcome did; <see cref="Concern"/> is set when the action is <see cref="MatchAction.WageNeedsConfirmation"/>,
    /// <see cref="Errors"/> (field → MatchText key of the message) when it is <see cref="MatchAction.Invalid"/>.
    /// </summary>
    public sealed record Result(MatchAction Action, WageConcern? Concern = null, Dictionary<string, string>? Errors = null);

    public async Task<MatchAction> InviteAsync(ShortlistQueries.OwnVacancy vacancy, long matchId, Guid actorUserId, CancellationToken ct)
    {
        if (vacancy.Status != "open" || !vacancy.EmployerVerified) return MatchAction.VacancyNotOpen;
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var moved = await transitions.MoveAsync(connection, tx, matchId, new MatchTransitions.Change(MatchStatus.Invited, actorUserId, Roles.Employer), ct);
        if (moved != MatchTransitions.Outcome.Moved) return Map(moved);
        // The offer e-mail exists exactly when the invitation does: same transaction (R26).
        var queued = await offers.EnqueueOfferAsync(connection, tx, matchId, ct);
        await tx.CommitAsync(ct);
        if (queued) outbox.DispatchSoon();
        return MatchAction.Done;
    }

    /// <summary>Validates the request: field → MatchText key of the message. Empty when it can be recorded.</summary>
    private Dictionary<string, string> Validate(OutcomeRequest r)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (r.Outcome is null || !OutcomeReasons.EmployerOutcomes.ContainsKey(r.Outcome)) errors["outcome"] = "Error_Outcome";
        if (r.Outcome == "hired")
        {
            var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
            if (r.StartDate is not { } start || start < today.AddYears(-1) || start > today.AddYears(1)) errors["startDate"] = "Error_StartDate";
            if (r.MonthlyWageBdt is not (>= 1 and <= 1_000_000)) errors["monthlyWageBdt"] = "Error_Wage";
            if (r.WrittenContract is null) errors["writtenContract"] = "Error_Contract";
        }
        if (r.Outcome == "not_selected" && (r.Reason is null || !OutcomeReasons.NotSelected.Contains(r.Reason))) errors["reason"] = "Error_NotSelectedReason";
        return errors;
    }

    /// <summary>
    /// Checks and records an outcome (refused: <see cref="MatchAction.Invalid"/> with its errors). A hire also marks the seeker placed and schedules the 1-, 3- and 6-month check-ins.
    /// A hire below the sector's minimum wage or far below the posted range (<see cref="FarBelowPostedShare"/>) is
    /// not recorded until the employer confirms it; once confirmed, the seeker's case workers are alerted (home page
    /// and e-mail) in the same transaction. The one method behind the employer's page and API.
    /// </summary>
    public async Task<Result> RecordAsync(long matchId, OutcomeRequest r, Guid actorUserId, CancellationToken ct)
    {
        if (Validate(r) is { Count: > 0 } errors) return new(MatchAction.Invalid, Errors: errors);
        var to = OutcomeReasons.EmployerOutcomes[r.Outcome!];
        var reason = to switch
        {
            MatchStatus.NotSelected => r.Reason,
            MatchStatus.Withdrawn => OutcomeReasons.CandidateWithdrew,
            _ => null,
        };
        var change = new MatchTransitions.Change(to, actorUserId, Roles.Employer, reason)
        {
            HiredStartDate = to == MatchStatus.Hired ? r.StartDate : null,
            HiredMonthlyWageBdt = to == MatchStatus.Hired ? r.MonthlyWageBdt : null,
            HiredWrittenContract = to == MatchStatus.Hired ? r.WrittenContract : null,
        };
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var concern = to == MatchStatus.Hired ? await WageConcernAsync(connection, tx, matchId, r.MonthlyWageBdt!.Value, ct) : null;
        if (concern is not null && !r.Confirmed) return new(MatchAction.WageNeedsConfirmation, concern);
        var moved = await transitions.MoveAsync(connection, tx, matchId, change, ct);
        if (moved != MatchTransitions.Outcome.Moved) return new(Map(moved));
        if (to == MatchStatus.Hired) await PlaceAsync(connection, tx, matchId, r.StartDate!.Value, ct);
        var alerted = concern is not null && await AlertLowWageAsync(connection, tx, matchId, actorUserId, ct);
        await tx.CommitAsync(ct);
        if (alerted) outbox.DispatchSoon();
        return new(MatchAction.Done);
    }

    /// <summary>The sector floor (wage jobs and apprenticeships) and the posted minimum a hire's wage falls under, or null.</summary>
    private async Task<WageConcern?> WageConcernAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long matchId, int wage, CancellationToken ct)
    {
        var rows = (await connection.QueryAsync<(string Kind, string? SectorCode, int? WageMinBdt)>(new CommandDefinition(
            "SELECT v.kind, v.sector_code, v.wage_min_bdt FROM match m JOIN vacancy v ON v.id = m.vacancy_id WHERE m.id = @matchId",
            new { matchId }, tx, cancellationToken: ct))).AsList();
        if (rows.Count == 0) return null;
        var v = rows[0];
        var reference = await taxonomy.LoadAsync(ct);
        var floor = Vacancies.PublishRules.BelowFloor(v.Kind, wage, v.SectorCode, reference) ? Vacancies.PublishRules.Floor(v.SectorCode, reference) : null;
        var posted = v.WageMinBdt is { } min && wage < min * FarBelowPostedShare ? v.WageMinBdt : null;
        return floor is null && posted is null ? null : new WageConcern(floor, posted);
    }

    /// <summary>
    /// Tells the seeker's case workers: an audited event their home page lists, and an e-mail naming only the
    /// pseudonymous reference (the wage itself stays on the case-work pages).
    /// </summary>
    private async Task<bool> AlertLowWageAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long matchId, Guid actorUserId, CancellationToken ct)
    {
        var (seekerId, reference) = await connection.QuerySingleAsync<(long, string)>(new CommandDefinition(
            "SELECT s.id, s.reference FROM match m JOIN seeker s ON s.id = m.seeker_id WHERE m.id = @matchId", new { matchId }, tx, cancellationToken: ct));
        await audit.WriteAsync(LowWageHireAction, Seekers.SeekerReference.Subject(reference), ct, actorUserId, connection, tx);
        return await alerts.AlertAsync(connection, tx, seekerId, Notifications.Templates.EmailTemplates.LowWageHire,
            subject => new Notifications.Templates.LowWageHireArgs(matchId, subject), $"low_wage_hire:{matchId}", ct) > 0;
    }

    /// <summary>
    /// A placed seeker leaves candidate generation (it selects status 'active' only); their recorded outcomes still
    /// train the model (training reads profiles whatever the status). The check-in rows are what the retention
    /// job picks up when due; ON CONFLICT keeps this safe if another path scheduled them first.
    /// </summary>
    private static async Task PlaceAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long matchId, DateOnly start, CancellationToken ct)
    {
        var placed = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            UPDATE seeker SET status = 'placed', updated_at = now()
            WHERE id = (SELECT seeker_id FROM match WHERE id = @matchId) AND status = 'active'
            RETURNING id
            """, new { matchId }, tx, cancellationToken: ct));
        // Placed: the person's other proposals and unanswered invitations are withdrawn now, not left waiting.
        if (placed is { } seekerId) await MatchRule.WithdrawForbiddenAsync(connection, tx, seekerId, null, null, ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO retention_checkin (match_id, months, due_on)
            SELECT @matchId, m, (@start::date + make_interval(months => m))::date FROM unnest(ARRAY[1, 3, 6]) AS m
            ON CONFLICT (match_id, months) DO NOTHING
            """, new { matchId, start = start.ToDateTime(TimeOnly.MinValue) }, tx, cancellationToken: ct));
    }

    internal static MatchAction Map(MatchTransitions.Outcome outcome) => outcome switch
    {
        MatchTransitions.Outcome.Moved => MatchAction.Done,
        MatchTransitions.Outcome.NotFound => MatchAction.NotFound,
        _ => MatchAction.NotAllowed,
    };
}
