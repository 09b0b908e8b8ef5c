using JobMatch.Identity;
using JobMatch.Seekers;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Pages.CaseWork;

/// <summary>The agency's caseload: references and status only (no identity on the list, so no audit rows).</summary>
[Authorize(Policy = Policies.CaseWorker)]
internal sealed class IndexModel(SeekerQueries seekers, Matching.ReviewQueries review) : PageModel
{
    public IReadOnlyList<SeekerQueries.CaseloadRow> Seekers { get; private set; } = [];
    public IReadOnlyList<Matching.ReviewQueries.SafetyAlert> SafetyAlerts { get; private set; } = [];
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public async Task OnGetAsync(CancellationToken ct)
    {
        PageNumber = Math.Max(1, PageNumber);
        Seekers = await seekers.CaseloadAsync(User.OrganisationId(), PageNumber, ct);
        SafetyAlerts = await review.SafetyAlertsAsync(User.OrganisationId(), ct);
    }
}

/// <summary>Opens a seeker by reference (a form GET), so a reference typed in goes to the same 404 rules.</summary>
[Authorize(Policy = Policies.CaseWorker)]
internal sealed class OpenModel : PageModel
{
    public IActionResult OnGet(string? reference) =>
        SeekerReference.Normalize(reference) is { } r ? Redirect($"/casework/seekers/{r}") : Redirect("/casework");
}
