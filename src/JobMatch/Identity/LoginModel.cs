using JobMatch.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace JobMatch.Identity;

/// <summary>
/// Sign-in with an e-mail address or a phone number. Unknown users, wrong passwords, disabled and locked accounts
/// all get the same answer after the same password-hash work, so neither the page nor a stopwatch tells who has an
/// account. Attempts are throttled before they get here (<see cref="SignInRateLimits"/>); only staff accounts lock.
/// </summary>
[AllowAnonymous]
internal sealed class LoginModel(SignInManager<AppUser> signIn, UserManager<AppUser> users, DecoyPassword decoy, AuditLog audit, SignInRecord signInRecord,
    IOptions<SecurityOptions> security, AuthenticatorEnrolment enrolment) : PageModel
{
    [BindProperty] public string UserName { get; set; } = "";
    [BindProperty] public string Password { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Message { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var name = NormalizeUserName(UserName);
        var user = await users.FindByNameAsync(name);
        // Lock-out guards staff accounts only: anyone who knows a seeker's phone number could otherwise lock them out.
        var lockout = user is not null && SecondFactor.IsStaff(user.Role);
        if (user is null || user.Disabled || (lockout && await users.IsLockedOutAsync(user)))
        {
            decoy.Check(Password);
            await audit.WriteAsync(AuditActions.SignInFailed, user is null ? null : $"user:{user.Id}", ct);
            Message = "SignInFailed";
            return Page();
        }

        if (MustEnrolAuthenticator(user))
        {
            // Staff without an authenticator app: the password alone never signs them in; it only opens enrolment.
            var check = await signIn.CheckPasswordSignInAsync(user, Password, lockoutOnFailure: lockout);
            if (!check.Succeeded) return await FailedAsync(user, ct);
            await enrolment.EnsurePendingKeyAsync(user);
            await AuthenticatorEnrolment.MarkPasswordCheckedAsync(HttpContext, user);
            return LocalRedirect("/account/enrol-authenticator" + ReturnQuery());
        }

        var result = await signIn.PasswordSignInAsync(user, Password, isPersistent: false, lockoutOnFailure: lockout);
        if (result.RequiresTwoFactor) return LocalRedirect("/account/two-factor" + ReturnQuery());
        if (!result.Succeeded) return await FailedAsync(user, ct);

        KnownDevice.Remember(HttpContext, ThrottleKey(UserName), security.Value.HttpsOnly);
        await signInRecord.WriteAsync(user, ct);
        return LocalRedirect(SafeReturnUrl(ReturnUrl) ?? HomeFor(user.Role));
    }

    private async Task<IActionResult> FailedAsync(AppUser user, CancellationToken ct)
    {
        await audit.WriteAsync(AuditActions.SignInFailed, $"user:{user.Id}", ct);
        Message = "SignInFailed";
        return Page();
    }

    private bool MustEnrolAuthenticator(AppUser user) =>
        security.Value.RequireStaffTwoFactor && SecondFactor.IsStaff(user.Role)
        && (!user.TwoFactorEnabled || string.IsNullOrEmpty(user.AuthenticatorKey));

    private string ReturnQuery() => SafeReturnUrl(ReturnUrl) is { } url ? "?returnUrl=" + Uri.EscapeDataString(url) : "";

    /// <summary>Phone numbers are stored in one form, so "01712-345678" and "+8801712345678" are the same account.</summary>
    public static string NormalizeUserName(string text)
    {
        var trimmed = text.Trim();
        return PhoneNumber.LooksLikePhone(trimmed) && PhoneNumber.Normalize(trimmed) is { } phone ? phone : trimmed;
    }

    /// <summary>The user name as the throttle and the known-device cookie count it (one form, upper case).</summary>
    public static string ThrottleKey(string text) => NormalizeUserName(text).ToUpperInvariant();

    public static string HomeFor(string role) => role switch
    {
        Roles.Admin => "/admin",
        Roles.Employer => "/employer",
        Roles.CaseWorker => "/casework",
        Roles.TrainingProvider => "/training",
        Roles.JobSeeker => "/me/offers",
        Roles.ChamberAdmin => "/chamber",
        _ => "/",
    };

    public static string? SafeReturnUrl(string? url) => Web.LocalUrl.SafeOrNull(url);
}

[AllowAnonymous]
internal sealed class DeniedModel : PageModel
{
    public void OnGet() { }
}
