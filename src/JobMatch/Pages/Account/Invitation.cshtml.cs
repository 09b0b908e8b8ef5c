using JobMatch.Web;
using JobMatch.Onboarding;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Pages.Account;

/// <summary>
/// An invited person chooses a password; then they sign in, and staff enrol the authenticator app on that first
/// sign-in. A used, expired or unknown link shows the same message.
/// </summary>
[AllowAnonymous]
[Identity.AddressThrottle(Employers.RegistrationRateLimit.Name)]
internal sealed class InvitationModel(Invitations invitations) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Token { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? ConfirmPassword { get; set; }
    public Invitations.Pending? Pending { get; private set; }
    public FieldErrors Errors { get; } = new();
    public string? UserName { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Pending = await invitations.FindAsync(Token, ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Pending = await invitations.FindAsync(Token, ct);
        var user = await invitations.AcceptAsync(Token, Password, ConfirmPassword, Errors, ct);
        if (user is null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            // A bad link is the page's one message; password problems sit at their field (aria-invalid, aria-describedby,
            // in the user's language) through ModelState, like every other form.
            if (Errors.Has("token")) Pending = null;
            else this.ShowErrors<JobMatch.Vacancies.BoardText>(Errors);
            return Page();
        }
        UserName = user.UserName;
        return Page();
    }
}
