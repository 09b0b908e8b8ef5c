using System.Globalization;
using JobMatch.Identity;
using JobMatch.Reports;
using JobMatch.Training;
using JobMatch.Vacancies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace JobMatch.Pages.Training;

/// <summary>What open vacancies ask for against the provider's trainees, by sector and skill; filter by upazila. Counts only.</summary>
[Authorize(Policy = Policies.TrainingProvider)]
internal sealed class DemandModel(DemandReport report, Taxonomy taxonomy, IStringLocalizer<TrainingText> text) : PageModel
{
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)] public string? Upazila { get; set; }
    public DemandReport.View View { get; private set; } = null!;
    public TaxonomySnapshot Reference { get; private set; } = null!;
    public bool Bangla => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "bn";

    public async Task OnGetAsync(CancellationToken ct)
    {
        Reference = await taxonomy.LoadAsync(ct);
        var upazila = DemandEndpoints.Clean(Upazila);
        Upazila = upazila is not null && Reference.UpazilasByCode.ContainsKey(upazila) ? upazila : null;
        View = await report.LoadAsync(User.OrganisationId(), Upazila, ct);
    }

    public string SkillName(DemandQueries.Line line) => Bangla ? line.SkillNameBn : line.SkillNameEn;

    public string SectorName(string code) => Reference.SectorsByCode.TryGetValue(code, out var s) ? s.Name(Bangla) : code;

    public BarChart GapChart => new("demand-gaps", text["DemandGapChart"],
        View.Gaps.Select(g => new BarChart.Bar(SkillName(g), g.Gap, g.Gap.ToString("N0", CultureInfo.CurrentCulture))).ToList());
}
