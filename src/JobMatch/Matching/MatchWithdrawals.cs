using Dapper;
using Npgsql;

namespace JobMatch.Matching;

/// <summary>
/// Withdraws the proposals of a vacancy that closed before anyone acted on them (proposed, approved or shown), with a
/// history row each. Invited and later matches are left alone: people are talking about those. Withdrawing frees the
/// seekers' open-proposal slots (the congestion cap counts open matches whatever the vacancy's state).
/// </summary>
internal static class MatchWithdrawals
{
    public const string VacancyClosedReason = "vacancy_closed";

    /// <returns>How many matches were withdrawn (0 when run again, or when the vacancy is open).</returns>
    public static Task<int> WithdrawUntouchedAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long vacancyId, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            WITH untouched AS (
                SELECT m.id, m.status FROM match m
                WHERE m.vacancy_id = @vacancyId AND m.status IN ('proposed', 'approved', 'shown')
                  AND NOT EXISTS (SELECT 1 FROM vacancy v WHERE v.id = @vacancyId AND v.status = 'open')
                FOR UPDATE OF m
            ), moved AS (
                UPDATE match m SET status = 'withdrawn', version = m.version + 1, updated_at = now()
                FROM untouched u WHERE m.id = u.id
                RETURNING m.id
            )
            INSERT INTO match_event (match_id, from_status, to_status, actor_role, reason)
            SELECT u.id, u.status, 'withdrawn', 'system', @reason FROM untouched u JOIN moved USING (id)
            """, new { vacancyId, reason = VacancyClosedReason }, tx, cancellationToken: ct));
}
