using JobMatch.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Identity;

/// <summary>
/// Second sign-in step for accounts with an authenticator app: the password was right (a 5-minute Identity cookie
/// says so), now the 6-digit code. Wrong codes count towards lockout like wrong passwords.
/// </summary>
[AllowAnonymous]
internal sealed class TwoFactorModel(SignInManager<AppUser> signIn, AuditLog audit, SignInRecord signInRecord) : PageModel
{
    [BindProperty] public string Code { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToLogin() : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null) return RedirectToLogin();

        var result = await signIn.TwoFactorAuthenticatorSignInAsync(Code, isPersistent: false, rememberClient: false);
        if (result.Succeeded)
        {
            await signInRecord.WriteAsync(user, ct);
            return LocalRedirect(LoginModel.SafeReturnUrl(ReturnUrl) ?? LoginModel.HomeFor(user.Role));
        }

        await audit.WriteAsync(SecurityAuditActions.SecondFactorFailed, $"user:{user.Id}", ct);
        Message = result.IsLockedOut ? "LockedOut" : "CodeWrong";
        Code = "";
        return Page();
    }

    private RedirectResult RedirectToLogin() => Redirect("/account/login");
}
