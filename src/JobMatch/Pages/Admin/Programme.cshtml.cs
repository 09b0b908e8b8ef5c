using JobMatch.Identity;
using JobMatch.Reports;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace JobMatch.Pages.Admin;

/// <summary>Programme figures: placements, retention, the funnel, breakdowns (small cells suppressed), CSV export.</summary>
[Authorize(Policy = Policies.Admin)]
internal sealed class ProgrammeModel(ProgrammeReport report, IStringLocalizer<ReportText> text) : PageModel
{
    public ProgrammeFigures Figures { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => Figures = await report.LoadAsync(ct);

    public BarChart Funnel => new("funnel", text["Funnel"],
        ProgrammeFigures.Stages.Select((s, i) => Bar(text["Stage_" + s], Figures.Total.Stages[i])).ToList());

    public BarChart PlacementsBySector => new("placements-sector", text["PlacementsBySector"],
        Figures.Breakdowns["sector"].Where(g => g.Hired is not 0).OrderByDescending(g => g.Hired ?? 0).Take(12)
            .Select(g => Bar(g.Name, g.Hired)).ToList());

    public BarChart Retention => new("retention", text["Retention"],
        ProgrammeFigures.RetentionMonths.Select((m, i) => new BarChart.Bar(text["RetentionMonths", m], Figures.Total.Retention[i],
            ProgrammeFigures.Percent(Figures.Total.Retention[i]))).ToList());

    private static BarChart.Bar Bar(string label, long? n) => new(label, n, ProgrammeFigures.Cell(n));
}
