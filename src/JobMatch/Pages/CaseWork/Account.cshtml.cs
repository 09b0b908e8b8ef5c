using JobMatch.Identity;
using JobMatch.Seekers;
using JobMatch.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Pages.CaseWork;

/// <summary>The seeker's own sign-in (set or reset a password), who viewed this seeker, and erasure on request.</summary>
[Authorize(Policy = Policies.CaseWorker)]
internal sealed class AccountModel(SeekerQueries seekers, SeekerAccounts accounts, SeekerErasure erasure) : PageModel
{
    public SeekerRow Seeker { get; private set; } = null!;
    public IReadOnlyList<SeekerQueries.AccessLogRow> AccessLog { get; private set; } = [];
    public Dictionary<string, string[]> Errors { get; private set; } = [];
    public bool PasswordSet { get; private set; }

    public async Task<IActionResult> OnGetAsync(string reference, bool passwordSet, CancellationToken ct)
    {
        if (await seekers.FindAsync(reference, User.OrganisationId(), ct) is not { } s) return NotFound();
        PasswordSet = passwordSet;
        await LoadAsync(s, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostPasswordAsync(string reference, string? password, bool useEmail, CancellationToken ct)
    {
        if (await seekers.FindAsync(reference, User.OrganisationId(), ct) is not { } s) return NotFound();
        Errors = await accounts.SetPasswordAsync(s, password ?? "", useEmail, ct);
        if (Errors.Count == 0) return Redirect($"/casework/seekers/{s.Reference}/account?passwordSet=true");
        this.ShowErrors(Errors);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync(s, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostEraseAsync(string reference, string? confirm, CancellationToken ct)
    {
        if (await seekers.FindAsync(reference, User.OrganisationId(), ct, includeErased: true) is not { } s) return NotFound();
        if (!string.Equals(confirm?.Trim(), s.Reference, StringComparison.OrdinalIgnoreCase))
        {
            Errors = new() { ["confirm"] = ["Type the reference to confirm."] };
            this.ShowErrors(Errors);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync(s, ct);
            return Page();
        }
        await erasure.EraseAsync(s.Id, s.Reference, ct);
        return Redirect("/casework");
    }

    private async Task LoadAsync(SeekerRow s, CancellationToken ct)
    {
        Seeker = s;
        AccessLog = await seekers.AccessLogAsync(s.Reference, ct);
    }
}
