using Dapper;
using JobMatch.Audit;
using Npgsql;

namespace JobMatch.Identity;

/// <summary>
/// What a completed sign-in leaves behind: the audit row, and for a job seeker the time they were last active, which
/// the retention job reads — a seeker who keeps signing in is not an inactive profile to be anonymised.
/// </summary>
internal sealed class SignInRecord(NpgsqlDataSource db, AuditLog audit)
{
    public async Task WriteAsync(AppUser user, CancellationToken ct)
    {
        await audit.WriteAsync(AuditActions.SignIn, $"user:{user.Id}", ct, actorUserId: user.Id);
        if (user.Role != Roles.JobSeeker) return;
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE seeker SET last_active_at = now() WHERE user_id = @Id AND status <> 'erased'", new { user.Id }, cancellationToken: ct));
    }
}
