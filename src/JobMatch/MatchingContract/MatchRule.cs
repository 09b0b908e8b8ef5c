using Dapper;
using Npgsql;

namespace JobMatch.MatchingContract;

/// <summary>
/// The one rule "may this seeker be shown to this employer for this vacancy now" lives in the database views
/// <c>match_rule</c> (every match with its <c>forbidden_reason</c>, NULL when allowed) and <c>employer_candidate</c>
/// (the permitted matches an employer may read), migration 1300. Employer-facing reads select from
/// <c>employer_candidate</c> only (OneRuleCoverageTests scans the code for it); this class withdraws, in the caller's
/// transaction, every open match a safety change has made forbidden, so the change also empties review queues,
/// invitations and digests at once.
/// </summary>
internal static class MatchRule
{
    /// <summary>States a safety change withdraws when the rule forbids them (terminal states stay as history).</summary>
    public static readonly string[] Withdrawable =
        [MatchStatus.Proposed, MatchStatus.Approved, MatchStatus.Shown, MatchStatus.Invited, MatchStatus.Accepted, MatchStatus.Interviewed];

    /// <summary>
    /// Withdraws the seeker's (or the employer's) open matches that the rule now forbids, each with a history row
    /// carrying the rule's reason (case work only) and an audit row, all in one statement inside the caller's
    /// transaction. Returns how many were withdrawn; 0 when nothing is forbidden, so calling it after any change is safe.
    /// </summary>
    public static async Task<int> WithdrawForbiddenAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long? seekerId, Guid? employerId,
        Guid? actorUserId, CancellationToken ct)
    {
        if (seekerId is null && employerId is null) throw new ArgumentException("Name a seeker or an employer.");
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            """
            WITH forbidden AS (
                SELECT m.id, m.status, r.forbidden_reason
                FROM match m JOIN match_rule r ON r.match_id = m.id
                WHERE (@seekerId::bigint IS NULL OR m.seeker_id = @seekerId)
                  AND (@employerId::uuid IS NULL OR r.employer_id = @employerId)
                  AND m.status = ANY (@withdrawable) AND r.forbidden_reason IS NOT NULL
                FOR UPDATE OF m
            ), moved AS (
                UPDATE match m SET status = 'withdrawn', version = m.version + 1, updated_at = now()
                FROM forbidden f WHERE m.id = f.id
                RETURNING m.id
            ), history AS (
                INSERT INTO match_event (match_id, from_status, to_status, actor_user_id, actor_role, reason)
                SELECT f.id, f.status, 'withdrawn', @actorUserId, 'system', f.forbidden_reason FROM forbidden f JOIN moved USING (id)
                RETURNING match_id
            ), audited AS (
                INSERT INTO audit_log (actor_user_id, action, subject)
                SELECT @actorUserId, 'match_withdrawn_by_rule', 'match:' || h.match_id FROM history h
                RETURNING 1
            )
            SELECT count(*)::int FROM audited
            """, new { seekerId, employerId, actorUserId, withdrawable = Withdrawable }, tx, cancellationToken: ct));
    }

    /// <summary>The rule's verdict on one match now: null when it may be shown, else the reason (case work only).</summary>
    public static Task<string?> ForbiddenReasonAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, long matchId, CancellationToken ct) =>
        connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT forbidden_reason FROM match_rule WHERE match_id = @matchId", new { matchId }, tx, cancellationToken: ct));
}
