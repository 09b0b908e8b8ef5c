using System.Security.Claims;

namespace JobMatch.Web;

/// <summary>
/// The claims JobMatch adds to a sign-in, and how the ids are read back. Identity issues them; they live in this
/// leaf folder because the audit log (which Identity writes to) and the localisation read them too.
/// </summary>
internal static class JobMatchClaims
{
    public const string OrganisationId = "jm:org";
    public const string OrganisationKind = "jm:org_kind";
    public const string Language = "jm:lang";
    public const string SignedInAt = "jm:signed_in_at";

    /// <summary>The signed-in user's id; Guid.Empty for anonymous callers.</summary>
    public static Guid UserIdOf(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : Guid.Empty;

    /// <summary>The caller's organisation; Guid.Empty for job seekers and anonymous callers.</summary>
    public static Guid OrganisationIdOf(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(OrganisationId), out var id) ? id : Guid.Empty;
}
