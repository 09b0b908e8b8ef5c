using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Identity;

/// <summary>
/// First sign-in of a staff account without an authenticator app: after the password, the setup key is shown as
/// text and the first code confirms it; then the user is signed in with both factors. An account that already has
/// an app is sent to the code page: its key is never shown again.
/// </summary>
[AllowAnonymous]
internal sealed class EnrolAuthenticatorModel(SignInManager<AppUser> signIn, AuthenticatorEnrolment enrolment) : PageModel
{
    [BindProperty] public string Code { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public AuthenticatorEnrolment.SetupKey? Key { get; private set; }
    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null) return Redirect("/account/login");
        if (user.TwoFactorEnabled) return Redirect("/account/two-factor" + ReturnQuery());
        Key = AuthenticatorEnrolment.PendingKey(user); // created by the sign-in POST: this GET writes nothing
        return Key is null ? Redirect("/account/login") : Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null) return Redirect("/account/login");
        if (user.TwoFactorEnabled) return Redirect("/account/two-factor" + ReturnQuery());

        var result = await enrolment.ConfirmAsync(user, Code, HttpContext, ct);
        if (result.Succeeded) return LocalRedirect(LoginModel.SafeReturnUrl(ReturnUrl) ?? LoginModel.HomeFor(user.Role));

        Message = result.IsLockedOut ? "LockedOut" : "CodeWrong";
        Code = "";
        Key = result.IsLockedOut ? null : AuthenticatorEnrolment.PendingKey(user);
        return Page();
    }

    private string ReturnQuery() => LoginModel.SafeReturnUrl(ReturnUrl) is { } url ? "?returnUrl=" + Uri.EscapeDataString(url) : "";
}
