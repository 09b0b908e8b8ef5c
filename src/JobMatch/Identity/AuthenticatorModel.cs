using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Identity;

/// <summary>
/// Any signed-in account may switch on an authenticator app (employers are encouraged to; staff have one already).
/// "Set up" (a POST: it creates the key) shows the key; the first code switches it on. Switching it off is not
/// offered here: losing the app is handled by an admin resetting the account.
/// </summary>
[Authorize(Policy = Policies.SignedIn)]
internal sealed class AuthenticatorModel(UserManager<AppUser> users, SignInManager<AppUser> signIn, AuthenticatorEnrolment enrolment) : PageModel
{
    [BindProperty] public string Code { get; set; } = "";
    public bool Enabled { get; private set; }
    public AuthenticatorEnrolment.SetupKey? Key { get; private set; }
    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        Show(user);
        return Page();
    }

    public async Task<IActionResult> OnPostStartAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        if (!user.TwoFactorEnabled && string.IsNullOrEmpty(user.AuthenticatorKey))
        {
            await enrolment.EnsurePendingKeyAsync(user);
            // A new key changes the security stamp, which would end this very session on the next request.
            await signIn.RefreshSignInAsync(user);
        }
        Show(user);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        if (!user.TwoFactorEnabled && !string.IsNullOrEmpty(user.AuthenticatorKey))
        {
            var result = await enrolment.ConfirmAsync(user, Code, HttpContext, ct);
            Message = result.Succeeded ? "AuthenticatorEnabled" : result.IsLockedOut ? "LockedOut" : "CodeWrong";
            if (result.IsLockedOut) return Page();
        }
        Code = "";
        Show(user);
        return Page();
    }

    private void Show(AppUser user)
    {
        Enabled = user.TwoFactorEnabled;
        Key = AuthenticatorEnrolment.PendingKey(user);
    }
}
