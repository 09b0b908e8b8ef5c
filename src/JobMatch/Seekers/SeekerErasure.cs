using Dapper;
using JobMatch.Audit;
using Npgsql;

namespace JobMatch.Seekers;

/// <summary>
/// Erasure on request (SECURITY.md R22): identity, contact details, case file, consents, enrolments, do-not-match
/// rules and the sign-in account are deleted; the seeker row stays as status <c>erased</c> under its pseudonymous
/// reference with the skill records and coarse profile, for statistics; every open match is withdrawn in the same
/// transaction (the one rule forbids an erased seeker everywhere). Other features' <see cref="ISeekerErasureHook"/>s run
/// with it (queued messages cancelled, SMS files deleted). Running it again changes nothing.
/// </summary>
internal sealed class SeekerErasure(NpgsqlDataSource db, AuditLog audit, IEnumerable<ISeekerErasureHook> hooks)
{
    public async Task EraseAsync(long seekerId, string reference, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var userId = await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            "SELECT user_id FROM seeker WHERE id = @seekerId FOR UPDATE", new { seekerId }, tx, cancellationToken: ct));
        var wasErased = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT status = 'erased' FROM seeker WHERE id = @seekerId", new { seekerId }, tx, cancellationToken: ct));

        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM seeker_identity WHERE seeker_id = @seekerId", new { seekerId }, tx, cancellationToken: ct));
        await CaseFileQueries.DeleteAsync(connection, tx, seekerId, ct);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM consent WHERE seeker_id = @seekerId", new { seekerId }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM enrolment WHERE seeker_id = @seekerId", new { seekerId }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM trainee_number WHERE seeker_id = @seekerId", new { seekerId }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE seeker SET status = 'erased', user_id = NULL, blocked_sectors = '{}', blocked_employer_ids = '{}',
                blocked_upazilas = '{}', version = version + 1, updated_at = now()
            WHERE id = @seekerId AND status <> 'erased'
            """, new { seekerId }, tx, cancellationToken: ct));
        if (userId is { } id)
        {
            // The sign-in name is the phone or e-mail address: the account goes too.
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM app_user WHERE id = @id AND role = 'job_seeker'", new { id }, tx, cancellationToken: ct));
        }
        await Matching.MatchRule.WithdrawForbiddenAsync(connection, tx, seekerId, null, null, ct);
        foreach (var hook in hooks) await hook.ErasingAsync(connection, tx, seekerId, ct);
        if (!wasErased) await audit.WriteAsync("seeker_erased", SeekerReference.Subject(reference), ct, connection: connection, transaction: tx);
        await tx.CommitAsync(ct);
        foreach (var hook in hooks) await hook.ErasedAsync(seekerId, ct);
    }
}
