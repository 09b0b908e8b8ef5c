using System.Security.Claims;
using JobMatch.Web;
using Microsoft.AspNetCore.Identity;

namespace JobMatch.Identity;

/// <summary>
/// The security stamp is checked on every request and the principal rebuilt from the database each time. Two claims
/// describe the session, not the user, and must survive that rebuild: <c>amr=mfa</c> (else a staff session would
/// lose its second factor after one request) and the sign-in time (else the 12-hour absolute lifetime would
/// restart on every request).
/// </summary>
internal static class SessionClaims
{
    public static Task KeepFromCurrentSession(SecurityStampRefreshingPrincipalContext context)
    {
        if (context.CurrentPrincipal is not { } current || context.NewPrincipal?.Identity is not ClaimsIdentity fresh)
        {
            return Task.CompletedTask;
        }
        foreach (var claim in fresh.FindAll(JobMatchClaims.SignedInAt).ToList()) fresh.RemoveClaim(claim);
        if (current.FindFirst(JobMatchClaims.SignedInAt) is { } signedInAt) fresh.AddClaim(new Claim(signedInAt.Type, signedInAt.Value));
        if (current.HasClaim(SecondFactor.AmrClaim, SecondFactor.Mfa) && !fresh.HasClaim(SecondFactor.AmrClaim, SecondFactor.Mfa))
        {
            fresh.AddClaim(new Claim(SecondFactor.AmrClaim, SecondFactor.Mfa));
        }
        return Task.CompletedTask;
    }
}
