using JobMatch.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace JobMatch.Identity;

/// <summary>
/// Sign-in with an e-mail address or a phone number. Unknown users, wrong passwords, disabled and locked accounts
/// all get the same answer, so the page cannot be used to find out who has an account.
/// </summary>
[AllowAnonymous]
internal sealed class LoginModel(SignInManager<AppUser> signIn, UserManager<AppUser> users, LoginThrottle throttle, AuditLog audit, SignInRecord signInRecord,
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
        if (!throttle.TryAcquire(users.NormalizeName(name), HttpContext.Connection.RemoteIpAddress?.ToString()))
        {
            Message = "TooManyAttempts";
            Observability.JobMatchMetrics.SignInThrottled();
            return new ObjectResult(null) { StatusCode = StatusCodes.Status429TooManyRequests }.WithPage(this);
        }

        var user = await users.FindByNameAsync(name);
        if (user is null || user.Disabled)
        {
            await audit.WriteAsync(AuditActions.SignInFailed, user is null ? null : $"user:{user.Id}", ct);
            Observability.JobMatchMetrics.SignInFailed();
            Message = "SignInFailed";
            return Page();
        }

        if (MustEnrolAuthenticator(user))
        {
            // Staff without an authenticator app: the password alone never signs them in; it only opens enrolment.
            var check = await signIn.CheckPasswordSignInAsync(user, Password, lockoutOnFailure: true);
            if (!check.Succeeded) return await FailedAsync(user, ct);
            await enrolment.EnsurePendingKeyAsync(user);
            await AuthenticatorEnrolment.MarkPasswordCheckedAsync(HttpContext, user);
            return LocalRedirect("/account/enrol-authenticator" + ReturnQuery());
        }

        var result = await signIn.PasswordSignInAsync(user, Password, isPersistent: false, lockoutOnFailure: true);
        if (result.RequiresTwoFactor) return LocalRedirect("/account/two-factor" + ReturnQuery());
        if (!result.Succeeded) return await FailedAsync(user, ct);

        await signInRecord.WriteAsync(user, ct);
        return LocalRedirect(SafeReturnUrl(ReturnUrl) ?? HomeFor(user.Role));
    }

    private async Task<IActionResult> FailedAsync(AppUser user, CancellationToken ct)
    {
        await audit.WriteAsync(AuditActions.SignInFailed, $"user:{user.Id}", ct);
        Observability.JobMatchMetrics.SignInFailed();
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

    public static string HomeFor(string role) => role switch
    {
        Roles.Admin => "/admin",
        Roles.Employer => "/employer",
        Roles.CaseWorker => "/casework",
        Roles.TrainingProvider => "/training",
        Roles.JobSeeker => "/me/offers",
        _ => "/",
    };

    public static string? SafeReturnUrl(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url
            : null;
}

internal static class PageResultExtensions
{
    /// <summary>Renders the page with a non-200 status (e.g. 429 with the form and its message).</summary>
    public static IActionResult WithPage(this ObjectResult result, PageModel page)
    {
        page.HttpContext.Response.StatusCode = result.StatusCode ?? 200;
        return page.Page();
    }
}

[AllowAnonymous]
internal sealed class DeniedModel : PageModel
{
    public void OnGet() { }
}
