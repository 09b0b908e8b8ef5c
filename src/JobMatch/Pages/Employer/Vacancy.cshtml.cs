using JobMatch.Web;
using System.Globalization;
using JobMatch.Employers;
using JobMatch.Identity;
using JobMatch.Vacancies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Pages.Employer;

/// <summary>
/// Create (<c>/employer/vacancy</c>) or edit (<c>/employer/vacancy/{id}</c>) one of the employer's own vacancies.
/// Invalid input comes back with field messages and everything typed kept; a stale edit gets a conflict message.
/// </summary>
[Authorize(Policy = Policies.Employer)]
internal sealed class VacancyModel(VacancyQueries queries, VacancyLifecycle lifecycle, EmployerQueries employers, Taxonomy taxonomy, TimeProvider time) : PageModel
{
    [BindProperty] public VacancyForm Input { get; set; } = new();
    [BindProperty(SupportsGet = true)] public string? SkillSector { get; set; }

    public long? Id { get; private set; }
    public string Status { get; private set; } = VacancyStatus.Draft;
    public TaxonomySnapshot Reference { get; private set; } = null!;
    public FieldErrors Errors { get; } = new();
    public string? Message { get; private set; }
    public bool Bangla => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "bn";

    public async Task<IActionResult> OnGetAsync(long? id, CancellationToken ct)
    {
        Reference = await taxonomy.LoadAsync(ct);
        if (id is { } existing)
        {
            var vacancy = await queries.FindForEmployerAsync(existing, User.OrganisationId(), ct);
            if (vacancy is null) return NotFound();
            (Id, Status, Input) = (existing, vacancy.Status, VacancyForm.From(vacancy));
            if (!Editable) Message = "NotEditable";
        }
        else
        {
            var employer = await employers.FindAsync(User.OrganisationId(), ct);
            Input = new VacancyForm
            {
                Kind = VacancyKinds.Wage, Openings = "1", SectorCode = employer?.SectorCode,
                ClosingDate = BoardClock.Today(time).AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            };
        }
        return Page();
    }

    /// <summary>"Show skills": re-shows the form with another sector's skills, saving nothing (no JavaScript needed).</summary>
    public async Task<IActionResult> OnPostSkillsAsync(long? id, CancellationToken ct)
    {
        Reference = await taxonomy.LoadAsync(ct);
        Input.Skills = VacancyForm.ReadSkills(Request.Form);
        Id = id;
        if (id is { } existing)
        {
            // Another employer's vacancy id is not found, as on GET and on saving.
            if (await queries.FindForEmployerAsync(existing, User.OrganisationId(), ct) is not { } v) return NotFound();
            Status = v.Status;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long? id, CancellationToken ct)
    {
        Reference = await taxonomy.LoadAsync(ct);
        Input.Skills = VacancyForm.ReadSkills(Request.Form);
        Id = id;
        var employerId = User.OrganisationId();
        var input = Input.ToInput(Errors);
        var today = BoardClock.Today(time);

        if (id is not { } existing)
        {
            if (await lifecycle.CreateAsync(employerId, input, today, Errors, ct) is { } made)
            {
                TempData["Message"] = "SavedDraft";
                return Redirect($"/employer#vacancy-{made.Id}");
            }
            return Invalid();
        }

        var result = await lifecycle.EditAsync(existing, employerId, input, today, Errors, ct);
        if (result == UpdateResult.Saved)
        {
            TempData["Message"] = "Saved";
            return Redirect($"/employer#vacancy-{existing}");
        }
        // The form is shown again with the vacancy's status as it is now (its edit changed nothing).
        if (await queries.FindForEmployerAsync(existing, employerId, ct) is not { } current) return NotFound();
        Status = current.Status;
        if (result == UpdateResult.Invalid) return Invalid();
        Message = result == UpdateResult.Conflict ? "Conflict" : "NotEditable";
        Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
    }

    private PageResult Invalid()
    {
        this.ShowErrors<BoardText>(Errors, "Input.");
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    public bool Editable => Status is VacancyStatus.Draft or VacancyStatus.Open;

    public string ShownSector => SkillSector ?? Input.SectorCode ?? Reference.Sectors.FirstOrDefault()?.Code ?? "";

    /// <summary>The chosen sector's skills, plus any already ticked from other sectors (so none is lost).</summary>
    public IEnumerable<SkillRef> ShownSkills
    {
        get
        {
            var ticked = Input.Skills.Select(s => s.Code ?? "").ToHashSet(StringComparer.OrdinalIgnoreCase);
            return Reference.Skills.Where(s => s.SectorCode == ShownSector || ticked.Contains(s.Code))
                .OrderBy(s => ticked.Contains(s.Code) ? 0 : 1).ThenBy(s => s.Code, StringComparer.Ordinal);
        }
    }

    public VacancySkillInput? Chosen(string code) => Input.Skills.FirstOrDefault(s => string.Equals(s.Code, code, StringComparison.OrdinalIgnoreCase));
}
