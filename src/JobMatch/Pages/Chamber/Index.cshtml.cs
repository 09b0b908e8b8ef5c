using JobMatch.Chambers;
using JobMatch.Identity;
using JobMatch.Reports;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace JobMatch.Pages.Chamber;

/// <summary>
/// A chamber's page of figures: its members, their open vacancies, and the programme's funnel and retention for
/// their vacancies only, with small counts suppressed as on the programme page. Nothing about any one seeker.
/// </summary>
[Authorize(Policy = Policies.ChamberAdmin)]
internal sealed class IndexModel(ChamberQueries chambers, ProgrammeReport report, IStringLocalizer<ReportText> text) : PageModel
{
    public ChamberQueries.Body Body { get; private set; } = null!;
    public ChamberQueries.Counts Counts { get; private set; } = null!;
    public ProgrammeFigures Figures { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await chambers.BodyAsync(User, ct) is not { } body) return NotFound();
        Body = body;
        Counts = await chambers.CountsAsync(body, ct);
        Figures = await report.LoadAsync(body.Membership, ct);
        return Page();
    }

    public BarChart Funnel => new("chamber-funnel", text["Funnel"],
        ProgrammeFigures.Stages.Select((s, i) => Bar(text["Stage_" + s], Figures.Total.Stages[i])).ToList());

    public BarChart PlacementsBySector => new("chamber-placements-sector", text["PlacementsBySector"],
        Figures.Breakdowns["sector"].Where(g => g.Hired is not 0).OrderByDescending(g => g.Hired ?? 0).Take(12)
            .Select(g => Bar(g.Name, g.Hired)).ToList());

    private static BarChart.Bar Bar(string label, long? n) => new(label, n, ProgrammeFigures.Cell(n));
}
