using System.Globalization;
using JobMatch.Identity;
using JobMatch.Matching;
using JobMatch.Vacancies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace JobMatch.Pages.Employer;

/// <summary>
/// The anonymous shortlist of one of the employer's own vacancies (another employer's: 404), with the comparison of
/// required skills. Each request counts against the organisation's hourly candidate-view limit (429 past it).
/// </summary>
[Authorize(Policy = Policies.Employer)]
internal sealed class ShortlistModel(ShortlistQueries shortlists, ShortlistViewLimit limit, Taxonomy taxonomy, IOptions<ShortlistOptions> options) : PageModel
{
    public Shortlist List { get; private set; } = null!;
    public IReadOnlyDictionary<string, SkillRef> Skills { get; private set; } = new Dictionary<string, SkillRef>();
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;
    public string? Message { get; private set; }
    public bool Bangla => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "bn";

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        if (!await limit.TryViewAsync(User.OrganisationId(), ct)) return StatusCode(StatusCodes.Status429TooManyRequests);
        var vacancy = await shortlists.OwnVacancyAsync(id, User.OrganisationId(), ct);
        if (vacancy is null) return NotFound();
        if (!vacancy.EmployerVerified) return Forbid();
        Message = TempData["Message"] as string;
        Skills = (await taxonomy.LoadAsync(ct)).SkillsByCode;
        List = await shortlists.ShortlistAsync(vacancy, Math.Max(1, PageNumber), options.Value.ShortlistPageSize, User.UserId(), ct);
        return Page();
    }
}
