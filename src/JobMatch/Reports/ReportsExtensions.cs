using JobMatch.Audit;
using JobMatch.Identity;

namespace JobMatch.Reports;

/// <summary>Programme figures for admins: the page (Pages/Admin/Programme), its CSV export and a JSON twin.</summary>
internal static class ReportsExtensions
{
    public sealed record GroupView(string Key, string Name, string? Employer, long?[] Stages, long?[] CheckIns, double?[] Retention);

    public sealed record ProgrammeView(string[] Stages, int[] RetentionMonths, int SmallCell, GroupView Total,
        IReadOnlyDictionary<string, GroupView[]> Breakdowns);

    public static WebApplicationBuilder AddReports(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ProgrammeQueries>();
        builder.Services.AddScoped<ProgrammeReport>();
        return builder;
    }

    public static IEndpointRouteBuilder MapReports(this IEndpointRouteBuilder app)
    {
        // Exports are audited (R15): who took the figures out, and when.
        app.MapGet("/admin/programme.csv", async (ProgrammeReport report, AuditLog audit, CancellationToken ct) =>
        {
            var figures = await report.LoadAsync(ct);
            await audit.WriteAsync("programme_exported", "report:programme", ct);
            return Results.File(ProgrammeCsv.Write(figures), "text/csv; charset=utf-8", $"programme-{DateTime.UtcNow:yyyy-MM-dd}.csv");
        }).RequireAuthorization(Policies.Admin).ExcludeFromDescription();

        app.MapGet("/api/admin/programme", async (ProgrammeReport report, CancellationToken ct) =>
        {
            var figures = await report.LoadAsync(ct);
            return Results.Ok(new ProgrammeView(ProgrammeFigures.Stages, ProgrammeFigures.RetentionMonths, ProgrammeFigures.SmallCell, View(figures.Total),
                figures.Breakdowns.ToDictionary(b => b.Key, b => b.Value.Select(View).ToArray())));
        }).RequireAuthorization(Policies.Admin).WithTags("Admin");
        return app;
    }

    public static GroupView View(ProgrammeFigures.Group g) => new(g.Key, g.Name, g.Employer, g.Stages, g.CheckIns, g.Retention);
}
