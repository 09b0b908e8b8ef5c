using JobMatch.Web;
using System.Globalization;
using JobMatch.Employers;
using JobMatch.Identity;
using JobMatch.Vacancies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Pages.Admin;

/// <summary>One employer's details, with Verify and Suspend (a reason is required; suspension closes its open vacancies).</summary>
[Authorize(Policy = Policies.Admin)]
internal sealed class EmployerModel(EmployerQueries employers, EmployerVetting vetting, Taxonomy taxonomy) : PageModel
{
    [BindProperty] public string? Reason { get; set; }
    public EmployerRecord Employer { get; private set; } = null!;
    public TaxonomySnapshot Reference { get; private set; } = null!;
    public string? Message { get; private set; }
    public string? ReasonError { get; private set; }
    public bool Bangla => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "bn";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        Message = TempData["Message"] as string;
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostVerifyAsync(Guid id, CancellationToken ct)
    {
        if (!await vetting.VerifyAsync(id, User.UserId(), ct)) return NotFound();
        TempData["Message"] = "EmployerVerified";
        return Redirect($"/admin/employers/{id}");
    }

    public async Task<IActionResult> OnPostSuspendAsync(Guid id, CancellationToken ct)
    {
        var reason = TextInput.Clean(Reason);
        if (reason is null || reason.Length > EmployerVetting.MaxReason)
        {
            if (!await LoadAsync(id, ct)) return NotFound();
            ReasonError = reason is null ? "ReasonRequired" : "TooLong";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        if (await vetting.SuspendAsync(id, reason, User.UserId(), ct) is null) return NotFound();
        TempData["Message"] = "EmployerSuspendedDone";
        return Redirect($"/admin/employers/{id}");
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var employer = await employers.FindAsync(id, ct);
        if (employer is null) return false;
        Employer = employer;
        Reference = await taxonomy.LoadAsync(ct);
        return true;
    }
}
