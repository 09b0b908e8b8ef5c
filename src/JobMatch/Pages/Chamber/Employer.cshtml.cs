using System.Globalization;
using JobMatch.Chambers;
using JobMatch.Employers;
using JobMatch.Identity;
using JobMatch.Vacancies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Pages.Chamber;

/// <summary>One member of the body: details, vacancies, and Verify / Suspend (with a reason) / Reinstate. Another body's employer: 404.</summary>
[Authorize(Policy = Policies.ChamberAdmin)]
internal sealed class EmployerModel(ChamberQueries chambers, ChamberVetting vetting, Taxonomy taxonomy) : PageModel
{
    [BindProperty] public string? Reason { get; set; }
    public EmployerRecord Employer { get; private set; } = null!;
    public IReadOnlyList<ChamberQueries.MemberVacancy> Vacancies { get; private set; } = [];
    public TaxonomySnapshot Reference { get; private set; } = null!;
    public string? Message { get; private set; }
    public string? ReasonError { get; private set; }
    public bool Bangla => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "bn";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        Message = TempData["Message"] as string;
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    public Task<IActionResult> OnPostVerifyAsync(Guid id, CancellationToken ct) =>
        DecideAsync(id, body => vetting.VerifyAsync(body, id, User.UserId(), ct), "EmployerVerified");

    public Task<IActionResult> OnPostReinstateAsync(Guid id, CancellationToken ct) =>
        DecideAsync(id, body => vetting.ReinstateAsync(body, id, User.UserId(), ct), "EmployerReinstated");

    public async Task<IActionResult> OnPostSuspendAsync(Guid id, CancellationToken ct)
    {
        var reason = JobMatch.Web.TextInput.Clean(Reason);
        if (reason is null || reason.Length > EmployerVetting.MaxReason)
        {
            if (!await LoadAsync(id, ct)) return NotFound();
            ReasonError = reason is null ? "ReasonRequired" : "TooLong";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        return await DecideAsync(id, body => vetting.SuspendAsync(body, id, reason, User.UserId(), ct), "EmployerSuspendedDone");
    }

    private async Task<IActionResult> DecideAsync(Guid id, Func<ChamberQueries.Body, Task<ChamberVetting.Result>> decide, string message)
    {
        if (await chambers.BodyAsync(User, HttpContext.RequestAborted) is not { } body) return NotFound();
        switch (await decide(body))
        {
            case ChamberVetting.Result.NotFound:
                return NotFound();
            case ChamberVetting.Result.Done:
                TempData["Message"] = message;
                break;
        }
        return Redirect($"/chamber/employers/{id}");
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await chambers.BodyAsync(User, ct) is not { } body || await chambers.MemberAsync(body, id, ct) is not { } employer) return false;
        Employer = employer;
        Vacancies = await chambers.VacanciesAsync(id, ct);
        Reference = await taxonomy.LoadAsync(ct);
        return true;
    }
}
