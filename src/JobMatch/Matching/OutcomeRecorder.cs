using Dapper;
using JobMatch.Identity;
using Npgsql;

namespace JobMatch.Matching;

/// <summary>
/// The employer's side of a match: invite to interview, then the outcome (interviewed, hired, not selected with a
/// reason, candidate withdrew). Each step is one transaction through <see cref="MatchTransitions"/>, which records
/// who and when in match_event (the source of training labels, <see cref="MatchStatus.Label"/>). Callers pass a
/// match id they found through <see cref="ShortlistQueries"/> for the caller's own vacancy.
/// </summary>
internal sealed class OutcomeRecorder(NpgsqlDataSource db, MatchTransitions transitions, OfferNotifications offers, Notifications.Outbox outbox, TimeProvider time)
{
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
    public Dictionary<string, string> Validate(OutcomeRequest r)
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

    /// <summary>Records a validated outcome. A hire also marks the seeker placed and schedules the 1-, 3- and 6-month check-ins.</summary>
    public async Task<MatchAction> RecordAsync(long matchId, OutcomeRequest r, Guid actorUserId, CancellationToken ct)
    {
        if (Validate(r).Count > 0) return MatchAction.Invalid;
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
        var moved = await transitions.MoveAsync(connection, tx, matchId, change, ct);
        if (moved != MatchTransitions.Outcome.Moved) return Map(moved);
        if (to == MatchStatus.Hired) await PlaceAsync(connection, tx, matchId, r.StartDate!.Value, ct);
        await tx.CommitAsync(ct);
        return MatchAction.Done;
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
