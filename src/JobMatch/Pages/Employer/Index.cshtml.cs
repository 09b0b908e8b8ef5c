using System.Globalization;
using JobMatch.Employers;
using JobMatch.Identity;
using JobMatch.Vacancies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Pages.Employer;

/// <summary>The employer's home: verification status and their vacancies with publish, close, filled and copy buttons.</summary>
[Authorize(Policy = Policies.Employer)]
internal sealed class IndexModel(VacancyQueries queries, VacancyLifecycle lifecycle, EmployerQueries employers, Taxonomy taxonomy, TimeProvider time) : PageModel
{
    public EmployerRecord? Employer { get; private set; }
    public IReadOnlyList<VacancyRecord> Vacancies { get; private set; } = [];
    public TaxonomySnapshot Reference { get; private set; } = null!;
    public string? Message { get; private set; }
    public string? MessageArg { get; private set; }
    public bool IsError { get; private set; }
    public bool Bangla => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "bn";

    public async Task OnGetAsync(CancellationToken ct)
    {
        Message = TempData["Message"] as string;
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostPublishAsync(long id, CancellationToken ct)
    {
        var outcome = await lifecycle.PublishAsync(id, User.OrganisationId(), BoardClock.Today(time), ct);
        if (outcome == VacancyOutcome.Done) return Done("Published");
        if (outcome == VacancyOutcome.NotFound) return NotFound();
        await LoadAsync(ct);
        (Message, IsError) = ("Refused_" + outcome, true);
        if (outcome == VacancyOutcome.WageBelowFloor)
        {
            MessageArg = PublishRules.Floor(Vacancies.FirstOrDefault(v => v.Id == id)?.SectorCode, Reference)?.ToString("N0", CultureInfo.CurrentCulture);
        }
        Response.StatusCode = outcome is VacancyOutcome.EmployerNotVerified or VacancyOutcome.EmployerSuspended or VacancyOutcome.RecruitmentFee
            ? StatusCodes.Status403Forbidden
            : StatusCodes.Status400BadRequest;
        return Page();
    }

    public Task<IActionResult> OnPostCloseAsync(long id, CancellationToken ct) => CloseAsync(id, filled: false, ct);

    public Task<IActionResult> OnPostFillAsync(long id, CancellationToken ct) => CloseAsync(id, filled: true, ct);

    public async Task<IActionResult> OnPostCopyAsync(long id, CancellationToken ct)
    {
        var copy = await queries.CopyAsync(id, User.OrganisationId(), BoardClock.Today(time), ct);
        if (copy is null) return NotFound();
        TempData["Message"] = "Copied";
        return Redirect($"/employer/vacancy/{copy}");
    }

    private async Task<IActionResult> CloseAsync(long id, bool filled, CancellationToken ct)
    {
        var outcome = await lifecycle.CloseAsync(id, User.OrganisationId(), filled, ct);
        if (outcome == VacancyOutcome.NotFound) return NotFound();
        if (outcome == VacancyOutcome.Done) return Done(filled ? "MarkedFilled" : "Closed");
        await LoadAsync(ct);
        (Message, IsError) = ("WrongStatus", true);
        Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
    }

    private RedirectResult Done(string message)
    {
        TempData["Message"] = message;
        return Redirect("/employer");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Employer = await employers.FindAsync(User.OrganisationId(), ct);
        Vacancies = await queries.ListForEmployerAsync(User.OrganisationId(), ct);
        Reference = await taxonomy.LoadAsync(ct);
    }
}
