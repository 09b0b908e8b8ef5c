using System.Globalization;
using JobMatch.Vacancies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Pages.Jobs;

/// <summary>One public vacancy with its schema.org JobPosting. Not open, or not public: 404.</summary>
[AllowAnonymous]
[Microsoft.AspNetCore.OutputCaching.OutputCache(PolicyName = BoardCache.PolicyName)] // anonymous visitors only, see BoardCache
internal sealed class VacancyModel(BoardQueries board, Taxonomy taxonomy, TimeProvider time) : PageModel
{
    public BoardVacancy Vacancy { get; private set; } = null!;
    public TaxonomySnapshot Reference { get; private set; } = null!;
    public string JsonLd { get; private set; } = "";
    public bool Bangla => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "bn";

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        var vacancy = await board.FindAsync(id, BoardClock.Today(time), ct);
        if (vacancy is null) return NotFound();
        Vacancy = vacancy;
        Reference = await taxonomy.LoadAsync(ct);
        Reference.UpazilasByCode.TryGetValue(vacancy.UpazilaCode, out var upazila);
        var url = $"{Request.Scheme}://{Request.Host}/jobs/{id}";
        JsonLd = JobPostingJsonLd.Build(vacancy, Bangla, upazila, url);
        return Page();
    }
}
