using System.Globalization;
using System.Security.Claims;
using Dapper;
using JobMatch.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JobMatch.Identity;

/// <summary>Puts the role, the organisation and the preferred language into the sign-in cookie's principal.</summary>
internal sealed class JobMatchClaimsFactory(UserManager<AppUser> users, IOptions<IdentityOptions> options, NpgsqlDataSource db, TimeProvider time,
    IHttpContextAccessor http)
    : UserClaimsPrincipalFactory<AppUser>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(ClaimTypes.Role, user.Role));
        identity.AddClaim(new Claim(ClaimTypes.GivenName, user.DisplayName));
        identity.AddClaim(new Claim(JobMatchClaims.Language, user.PreferredLanguage));
        identity.AddClaim(new Claim(JobMatchClaims.SignedInAt, SignedInAt(user)));
        if (user.OrganisationId is { } organisationId)
        {
            await using var connection = await db.OpenConnectionAsync();
            var kind = await connection.ExecuteScalarAsync<string>("SELECT kind FROM organisation WHERE id = @organisationId", new { organisationId });
            identity.AddClaim(new Claim(JobMatchClaims.OrganisationId, organisationId.ToString()));
            identity.AddClaim(new Claim(JobMatchClaims.OrganisationKind, kind ?? ""));
        }
        return identity;
    }

    /// <summary>
    /// Now for a new sign-in; the current session's time when the same user's cookie is reissued within a request
    /// (e.g. after switching on an authenticator app), so reissuing never extends the 12-hour absolute lifetime.
    /// </summary>
    private string SignedInAt(AppUser user)
    {
        var current = http.HttpContext?.User;
        if (current?.Identity?.IsAuthenticated == true && current.UserId() == user.Id
            && current.FindFirstValue(JobMatchClaims.SignedInAt) is { } existing)
        {
            return existing;
        }
        return time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
    }
}

internal static class ClaimsPrincipalExtensions
{
    public static Guid UserId(this ClaimsPrincipal user) => JobMatchClaims.UserIdOf(user);

    /// <summary>The caller's organisation; Guid.Empty for job seekers and anonymous callers.</summary>
    public static Guid OrganisationId(this ClaimsPrincipal user) => JobMatchClaims.OrganisationIdOf(user);

    public static string? Role(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Role);
}
