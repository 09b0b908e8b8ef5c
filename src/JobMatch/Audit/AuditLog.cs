using Dapper;
using JobMatch.Web;
using Npgsql;

namespace JobMatch.Audit;

/// <summary>
/// Writes the append-only audit log. Subjects are ids and pseudonymous references (e.g. <c>seeker:JS-7K3M9Q</c>),
/// never names or contact details. The actor and IP come from the current request when there is one.
/// </summary>
internal sealed class AuditLog(NpgsqlDataSource db, IHttpContextAccessor http)
{
    public async Task WriteAsync(string action, string? subject, CancellationToken ct, Guid? actorUserId = null, NpgsqlConnection? connection = null, NpgsqlTransaction? transaction = null)
    {
        var context = http.HttpContext;
        var user = context?.User;
        var actor = actorUserId ?? (user is not null && JobMatchClaims.UserIdOf(user) is var id && id != Guid.Empty ? id : (Guid?)null);
        var organisation = user is not null && JobMatchClaims.OrganisationIdOf(user) is var org && org != Guid.Empty ? org : (Guid?)null;
        var ip = context?.Connection.RemoteIpAddress?.ToString();
        const string sql = """
            INSERT INTO audit_log (actor_user_id, actor_organisation_id, action, subject, ip)
            VALUES (@actor, @organisation, @action, @subject, @ip)
            """;
        var args = new { actor, organisation, action, subject, ip };
        if (connection is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition(sql, args, transaction, cancellationToken: ct));
            return;
        }
        await using var own = await db.OpenConnectionAsync(ct);
        await own.ExecuteAsync(new CommandDefinition(sql, args, cancellationToken: ct));
    }
}

/// <summary>Action names used in the audit log.</summary>
internal static class AuditActions
{
    public const string SignIn = "sign_in";
    public const string SignInFailed = "sign_in_failed";
    public const string SignOut = "sign_out";
}

internal static class AuditExtensions
{
    public static WebApplicationBuilder AddAudit(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AuditLog>();
        return builder;
    }
}
