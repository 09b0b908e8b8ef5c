using System.Security.Claims;
using JobMatch.Audit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace JobMatch.Identity;

/// <summary>
/// Shared steps of setting up an authenticator app: the key shown as text (no QR library, no JavaScript), and
/// confirming it with a first code before two-factor sign-in is switched on.
/// </summary>
internal sealed class AuthenticatorEnrolment(UserManager<AppUser> users, SignInManager<AppUser> signIn, AuditLog audit)
{
    public const string Issuer = "JobMatch";

    public sealed record SetupKey(string Grouped, string Uri);

    /// <summary>
    /// Gives the user a pending key if they have none (a write: called from POST handlers only, never from a GET).
    /// Never call this for a user who already has two-factor on.
    /// </summary>
    public async Task EnsurePendingKeyAsync(AppUser user)
    {
        if (user.TwoFactorEnabled) throw new InvalidOperationException("The key of an enrolled account is never replaced here.");
        if (string.IsNullOrEmpty(await users.GetAuthenticatorKeyAsync(user))) await users.ResetAuthenticatorKeyAsync(user);
    }

    /// <summary>The key to show while enrolment is pending; null once two-factor is on (its key is never shown again).</summary>
    public static SetupKey? PendingKey(AppUser user) =>
        user.TwoFactorEnabled || string.IsNullOrEmpty(user.AuthenticatorKey)
            ? null
            : new SetupKey(Group(user.AuthenticatorKey), OtpAuthUri(user.UserName, user.AuthenticatorKey));

    /// <summary>
    /// Checks the first code; on success switches two-factor on and signs in with <c>amr=mfa</c>. A wrong code counts
    /// towards lockout like a wrong password.
    /// </summary>
    public async Task<SignInResult> ConfirmAsync(AppUser user, string code, HttpContext context, CancellationToken ct)
    {
        if (await users.IsLockedOutAsync(user)) return SignInResult.LockedOut;
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            await users.AccessFailedAsync(user);
            await audit.WriteAsync(SecurityAuditActions.SecondFactorFailed, $"user:{user.Id}", ct);
            return await users.IsLockedOutAsync(user) ? SignInResult.LockedOut : SignInResult.Failed;
        }

        await users.SetTwoFactorEnabledAsync(user, true); // changes the security stamp: older sessions end
        await users.ResetAccessFailedCountAsync(user);
        await context.SignOutAsync(IdentityConstants.TwoFactorUserIdScheme);
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new Claim(SecondFactor.AmrClaim, SecondFactor.Mfa)]);
        await audit.WriteAsync(SecurityAuditActions.AuthenticatorEnrolled, $"user:{user.Id}", ct, actorUserId: user.Id);
        return SignInResult.Success;
    }

    /// <summary>
    /// Marks a browser as "password checked, second factor pending" the same way <c>PasswordSignInAsync</c> does, so
    /// <c>GetTwoFactorAuthenticationUserAsync</c> finds the user on the enrolment page (a 5-minute cookie).
    /// </summary>
    public static Task MarkPasswordCheckedAsync(HttpContext context, AppUser user)
    {
        var identity = new ClaimsIdentity(IdentityConstants.TwoFactorUserIdScheme);
        identity.AddClaim(new Claim(ClaimTypes.Name, user.Id.ToString()));
        return context.SignInAsync(IdentityConstants.TwoFactorUserIdScheme, new ClaimsPrincipal(identity));
    }

    /// <summary>Groups of four, easier to copy by hand: "JBSW Y3DP EHPK 3PXP".</summary>
    public static string Group(string key) =>
        string.Join(' ', key.Chunk(4).Select(chunk => new string(chunk)));

    public static string OtpAuthUri(string userName, string key) =>
        $"otpauth://totp/{Uri.EscapeDataString(Issuer)}:{Uri.EscapeDataString(userName)}?secret={key}&issuer={Uri.EscapeDataString(Issuer)}&digits=6&period=30";
}

internal static class SecurityAuditActions
{
    public const string AuthenticatorEnrolled = "authenticator_enrolled";
    public const string SecondFactorFailed = "second_factor_failed";
}
