using Dapper;
using JobMatch.Audit;
using JobMatch.Vacancies;
using JobMatch.Web;
using Npgsql;

namespace JobMatch.Employers;

/// <summary>
/// An admin verifies an employer (it may then publish and receive candidates) or suspends it with a reason.
/// Suspension closes its open vacancies in the same transaction, so matching stops for it at once. Both are audited
/// with the subject <c>employer:&lt;organisation id&gt;</c> (the reason stays in the employer row, not the log).
/// </summary>
internal sealed class EmployerVetting(NpgsqlDataSource db, AuditLog audit, VacancyEvents events)
{
    public const string VerifyAction = "employer_verify";
    public const string SuspendAction = "employer_suspend";
    public const string ReinstateAction = "employer_reinstate";
    public const int MaxReason = 1000;

    /// <summary>
    /// The reason for a suspension as typed, cleaned; null, with the error for field <c>reason</c> (ReasonRequired or
    /// TooLong), when it cannot be used. The one rule for the admin's and the chamber admin's page and API.
    /// </summary>
    public static string? CheckReason(string? typed, FieldErrors errors)
    {
        var reason = TextInput.Clean(typed);
        if (reason is null) errors.Add("reason", "ReasonRequired");
        else if (reason.Length > MaxReason) errors.Add("reason", "TooLong");
        return errors.Has("reason") ? null : reason;
    }

    /// <summary>False when there is no employer with filled-in details (nothing to check yet) under that id.</summary>
    public async Task<bool> VerifyAsync(Guid organisationId, Guid adminUserId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE employer SET status = 'verified', verified_at = now(), verified_by = @adminUserId, suspended_reason = NULL,
                version = version + 1, updated_at = now()
            WHERE organisation_id = @organisationId AND trade_licence_number IS NOT NULL
            """, new { organisationId, adminUserId }, tx, cancellationToken: ct));
        if (updated == 0) return false;
        await audit.WriteAsync(VerifyAction, $"employer:{organisationId}", ct, adminUserId, connection, tx);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Suspends and closes the open vacancies; returns null when not found, else how many vacancies closed.</summary>
    public async Task<int?> SuspendAsync(Guid organisationId, string reason, Guid adminUserId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        // Updating the employer row first waits for any publish holding its share lock, so that vacancy is closed too.
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE employer SET status = 'suspended', suspended_reason = @reason, version = version + 1, updated_at = now()
            WHERE organisation_id = @organisationId
            """, new { organisationId, reason }, tx, cancellationToken: ct));
        if (updated == 0) return null;
        var closed = (await connection.QueryAsync<long>(new CommandDefinition(
            """
            UPDATE vacancy SET status = 'closed', closed_at = now(), version = version + 1, updated_at = now()
            WHERE employer_id = @organisationId AND status = 'open'
            RETURNING id
            """, new { organisationId }, tx, cancellationToken: ct))).ToList();
        foreach (var id in closed) await events.ClosedAsync(id, organisationId, connection, tx, ct);
        await events.EmployerSuspendedAsync(organisationId, connection, tx, ct);
        // Invitations and accepted offers are not closed with the vacancy: the one rule withdraws them too.
        await MatchingContract.MatchRule.WithdrawForbiddenAsync(connection, tx, null, organisationId, adminUserId, ct);
        await audit.WriteAsync(SuspendAction, $"employer:{organisationId}", ct, adminUserId, connection, tx);
        await tx.CommitAsync(ct);
        return closed.Count;
    }

    /// <summary>
    /// Lifts a suspension: the employer is verified again (by whoever reinstates) and may publish; the vacancies the
    /// suspension closed stay closed, the employer republishes what still applies. False when not suspended.
    /// </summary>
    public async Task<bool> ReinstateAsync(Guid organisationId, Guid actorUserId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE employer SET status = 'verified', verified_at = now(), verified_by = @actorUserId, suspended_reason = NULL,
                version = version + 1, updated_at = now()
            WHERE organisation_id = @organisationId AND status = 'suspended'
            """, new { organisationId, actorUserId }, tx, cancellationToken: ct));
        if (updated == 0) return false;
        await audit.WriteAsync(ReinstateAction, $"employer:{organisationId}", ct, actorUserId, connection, tx);
        await tx.CommitAsync(ct);
        return true;
    }
}
