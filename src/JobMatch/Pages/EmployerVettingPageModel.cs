using System.Globalization;
using JobMatch.Employers;
using JobMatch.Vacancies;
using JobMatch.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Pages;

/// <summary>
/// What the admin's and the chamber admin's employer page share: the employer shown with the reference data, the
/// message after a decision, and the suspend form's reason, checked by <see cref="EmployerVetting.CheckReason"/> as the
/// APIs check it. Each page says which employers it may show and declares its own handlers (so that the authorisation
/// matrix, which reads the handlers a page model declares, sees them).
/// </summary>
internal abstract class EmployerVettingPageModel(Taxonomy taxonomy) : PageModel
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

    /// <summary>The employer under <paramref name="id"/> if this page may show it (and whatever else the page shows with it).</summary>
    protected abstract Task<EmployerRecord?> FindAsync(Guid id, CancellationToken ct);

    /// <summary>
    /// Suspends with the reason typed into the form, or answers the form again with the error next to the reason (400;
    /// 404 for an employer this page may not show).
    /// </summary>
    protected async Task<IActionResult> SuspendWithReasonAsync(Guid id, Func<string, Task<IActionResult>> suspend, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (EmployerVetting.CheckReason(Reason, errors) is { } reason) return await suspend(reason);
        ReasonError = errors.All.Single().Key;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is not { } employer) return false;
        Employer = employer;
        Reference = await taxonomy.LoadAsync(ct);
        return true;
    }
}
