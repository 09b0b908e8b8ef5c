using JobMatch.Web;
using System.Security.Claims;
using JobMatch.Employers;
using JobMatch.Identity;
using JobMatch.Reports;
using JobMatch.Vacancies;
using Microsoft.Extensions.Localization;

namespace JobMatch.Chambers;

/// <summary>
/// Issue 17, chamber administrators: <c>/api/chamber</c> (and the pages under /chamber) for staff of one membership
/// body. Every route resolves the caller's body first; an employer of another body answers 404 like an unknown id.
/// </summary>
internal static class ChambersExtensions
{
    public sealed record MemberView(EmployerRecord Employer, IReadOnlyList<ChamberQueries.MemberVacancy> Vacancies);

    public sealed record FiguresView(string Body, ChamberQueries.Counts Members, int SmallCell, string[] Stages, int[] RetentionMonths,
        ReportsExtensions.GroupView Total, IReadOnlyDictionary<string, ReportsExtensions.GroupView[]> Breakdowns);

    /// <summary>The breakdowns a chamber sees: by its members' sectors and vacancies, nothing by seekers' attributes.</summary>
    public static readonly string[] Breakdowns = ["sector", "vacancy"];

    public static WebApplicationBuilder AddChambers(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ChamberQueries>();
        builder.Services.AddSingleton<ChamberVetting>();
        return builder;
    }

    public static Task<ChamberQueries.Body?> BodyAsync(this ChamberQueries chambers, ClaimsPrincipal user, CancellationToken ct) =>
        chambers.BodyAsync(user.OrganisationId(), ct);

    public static IEndpointRouteBuilder MapChambers(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/chamber").RequireAuthorization(Policies.ChamberAdmin).WithTags("Chambers");
        group.MapGet("/employers", async (string? status, HttpContext http, ChamberQueries chambers, CancellationToken ct) =>
            await chambers.BodyAsync(http.User, ct) is { } body
                ? Results.Ok(await chambers.MembersAsync(body, string.IsNullOrWhiteSpace(status) ? null : status, ct))
                : Results.NotFound());
        group.MapGet("/employers/{id:guid}", async (Guid id, HttpContext http, ChamberQueries chambers, CancellationToken ct) =>
            await chambers.BodyAsync(http.User, ct) is { } body && await chambers.MemberAsync(body, id, ct) is { } employer
                ? Results.Ok(new MemberView(employer, await chambers.VacanciesAsync(id, ct)))
                : Results.NotFound());
        group.MapPost("/employers/{id:guid}/verify", (Guid id, HttpContext http, ChamberQueries chambers, ChamberVetting vetting, CancellationToken ct) =>
            DecideAsync(http, chambers, id, body => vetting.VerifyAsync(body, id, http.User.UserId(), ct), ct));
        group.MapPost("/employers/{id:guid}/reinstate", (Guid id, HttpContext http, ChamberQueries chambers, ChamberVetting vetting, CancellationToken ct) =>
            DecideAsync(http, chambers, id, body => vetting.ReinstateAsync(body, id, http.User.UserId(), ct), ct));
        group.MapPost("/employers/{id:guid}/suspend", async (Guid id, SuspendInput input, HttpContext http, ChamberQueries chambers,
            ChamberVetting vetting, IStringLocalizer<BoardText> text, CancellationToken ct) =>
        {
            if (await chambers.BodyAsync(http.User, ct) is not { } body || await chambers.MemberAsync(body, id, ct) is null) return Results.NotFound();
            var errors = new FieldErrors();
            if (EmployerVetting.CheckReason(input.Reason, errors) is not { } reason) return Results.ValidationProblem(errors.ToDictionary(text));
            return await DecideAsync(http, chambers, id, b => vetting.SuspendAsync(b, id, reason, http.User.UserId(), ct), ct);
        });
        group.MapGet("/figures", async (HttpContext http, ChamberQueries chambers, ProgrammeReport report, CancellationToken ct) =>
        {
            if (await chambers.BodyAsync(http.User, ct) is not { } body) return Results.NotFound();
            var figures = await report.LoadAsync(body.Membership, ct);
            return Results.Ok(new FiguresView(body.Name, await chambers.CountsAsync(body, ct), ProgrammeFigures.SmallCell, ProgrammeFigures.Stages,
                ProgrammeFigures.RetentionMonths, ReportsExtensions.View(figures.Total),
                Breakdowns.ToDictionary(d => d, d => figures.Breakdowns[d].Select(ReportsExtensions.View).ToArray())));
        });
        return app;
    }

    private static async Task<IResult> DecideAsync(HttpContext http, ChamberQueries chambers, Guid id,
        Func<ChamberQueries.Body, Task<ChamberVetting.Result>> decide, CancellationToken ct)
    {
        if (await chambers.BodyAsync(http.User, ct) is not { } body) return Results.NotFound();
        return await decide(body) switch
        {
            ChamberVetting.Result.Done => Results.Ok(await chambers.MemberAsync(body, id, ct)),
            ChamberVetting.Result.NotApplicable => Results.Conflict(),
            _ => Results.NotFound(),
        };
    }
}
