using JobMatch.Audit;
using JobMatch.Csv;
using JobMatch.Identity;

namespace JobMatch.Training;

/// <summary>The demand view's CSV export (the page is Pages/Training/Demand): counts only, every cell formula-safe.</summary>
internal static class DemandEndpoints
{
    public static readonly string[] Header =
        // The free-text name last, so the counts sit in fixed columns whatever the name contains.
        ["sector_code", "skill_code", "required_level", "open_positions", "positions_requiring", "positions_preferring", "trainees_at_level", "gap", "skill_name"];

    public static WebApplicationBuilder AddTrainingDemand(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DemandQueries>().AddSingleton<DemandReport>();
        return builder;
    }

    public static void MapTrainingDemand(this IEndpointRouteBuilder app)
    {
        // Exports are audited (R15), as the programme's are.
        app.MapGet("/training/demand.csv", async (string? upazila, HttpContext http, DemandReport report, AuditLog audit, CancellationToken ct) =>
        {
            var view = await report.LoadAsync(http.User.OrganisationId(), Clean(upazila), ct);
            await audit.WriteAsync("demand_exported", $"organisation:{http.User.OrganisationId()}", ct);
            var bangla = System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "bn";
            var rows = view.Lines.Select(l => new string?[]
            {
                l.SectorCode, l.SkillCode, Number(l.RequiredLevel), Number(l.Positions), Number(l.RequiredPositions),
                Number(l.PreferredPositions), Number(l.Trainees), Number(l.Gap), bangla ? l.SkillNameBn : l.SkillNameEn,
            });
            return Results.File(CsvWriter.ToUtf8([Header, .. rows]), "text/csv; charset=utf-8", $"demand-{DateTime.UtcNow:yyyy-MM-dd}.csv");
        }).RequireAuthorization(Policies.TrainingProvider).ExcludeFromDescription();
    }

    public static string? Clean(string? upazila) => string.IsNullOrWhiteSpace(upazila) ? null : upazila.Trim();

    private static string Number(long n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
