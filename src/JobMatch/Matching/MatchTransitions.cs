using Dapper;
using JobMatch.MatchingContract;
using Npgsql;

namespace JobMatch.Matching;

/// <summary>
/// Moves a match from one state to the next, allowed transitions only, and records who did it and when. The row is
/// locked for the transition, so two people acting at once cannot both move it (the second sees the new state).
/// Callers load the match through a query scoped to the caller first: this class does not authorise.
/// </summary>
internal sealed class MatchTransitions(NpgsqlDataSource db)
{
    public enum Outcome { Moved, NotFound, NotAllowed, Conflict }

    public sealed record Change(string To, Guid? ActorUserId, string ActorRole, string? Reason = null, long? ExpectedVersion = null)
    {
        public DateOnly? HiredStartDate { get; init; }
        public int? HiredMonthlyWageBdt { get; init; }
        public bool? HiredWrittenContract { get; init; }
    }

    public async Task<Outcome> MoveAsync(long matchId, Change change, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var outcome = await MoveAsync(connection, tx, matchId, change, ct);
        if (outcome == Outcome.Moved) await tx.CommitAsync(ct);
        return outcome;
    }

    /// <summary>The same inside a caller's transaction (e.g. with the outbox row that tells someone about it).</summary>
    public async Task<Outcome> MoveAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long matchId, Change change, CancellationToken ct)
    {
        var current = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            "SELECT status, version FROM match WHERE id = @matchId FOR UPDATE", new { matchId }, tx, cancellationToken: ct));
        if (current is null) return Outcome.NotFound;
        if (change.ExpectedVersion is { } expected && expected != current.Version) return Outcome.Conflict;
        if (!MatchStatus.CanMove(current.Status, change.To)) return Outcome.NotAllowed;
        // Nothing moves towards the employer while the one rule forbids the match (a rule changed since it was read).
        if (TowardsEmployer.Contains(change.To) && await MatchRule.ForbiddenReasonAsync(connection, tx, matchId, ct) is not null) return Outcome.NotAllowed;

        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE match SET status = @To, version = version + 1, updated_at = now(),
                review_reason = CASE WHEN @To IN ('approved', 'skipped') THEN @Reason ELSE review_reason END,
                decline_reason = CASE WHEN @To = 'declined' THEN @Reason ELSE decline_reason END,
                not_selected_reason = CASE WHEN @To = 'not_selected' THEN @Reason ELSE not_selected_reason END,
                hired_start_date = COALESCE(@HiredStartDate, hired_start_date),
                hired_monthly_wage_bdt = COALESCE(@HiredMonthlyWageBdt, hired_monthly_wage_bdt),
                hired_written_contract = COALESCE(@HiredWrittenContract, hired_written_contract)
            WHERE id = @matchId
            """,
            new
            {
                matchId, change.To, change.Reason, change.HiredMonthlyWageBdt, change.HiredWrittenContract,
                HiredStartDate = change.HiredStartDate?.ToDateTime(TimeOnly.MinValue),
            },
            tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO match_event (match_id, from_status, to_status, actor_user_id, actor_role, reason)
            VALUES (@matchId, @From, @To, @ActorUserId, @ActorRole, @Reason)
            """,
            new { matchId, From = current.Status, change.To, change.ActorUserId, change.ActorRole, change.Reason },
            tx, cancellationToken: ct));
        return Outcome.Moved;
    }

    private static readonly string[] TowardsEmployer =
        [MatchStatus.Approved, MatchStatus.Shown, MatchStatus.Invited, MatchStatus.Accepted, MatchStatus.Interviewed, MatchStatus.Hired];

    private sealed class Row
    {
        public string Status { get; set; } = "";
        public long Version { get; set; }
    }
}
