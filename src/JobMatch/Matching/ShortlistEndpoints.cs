using JobMatch.Identity;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace JobMatch.Matching;

/// <summary>
/// The employer's side of a match as JSON: <c>/api/employer/vacancies/{id}/…</c> — the shortlist with its comparison,
/// one candidate, invite, outcome. Only the caller's own vacancies (else 404); every read counts against the
/// organisation's hourly candidate-view limit (else 429). Also registers case-worker review (<see cref="ReviewEndpoints"/>).
/// </summary>
internal static class ShortlistEndpoints
{
    public static WebApplicationBuilder AddShortlists(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ShortlistOptions>().BindConfiguration(ShortlistOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ShortlistViewLimit>();
        builder.Services.AddSingleton<ShortlistQueries>();
        builder.Services.AddScoped<OutcomeRecorder>();
        builder.Services.AddScoped<ReviewQueries>();
        return builder;
    }

    public static void MapShortlists(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/employer/vacancies/{id:long}").RequireAuthorization(Policies.Employer).WithTags("Shortlists");

        group.MapGet("/shortlist", async (long id, int? page, int? pageSize, HttpContext http, ShortlistQueries shortlists, ShortlistViewLimit limit,
            IOptions<ShortlistOptions> options, IStringLocalizer<MatchText> text, CancellationToken ct) =>
        {
            if (!await limit.TryViewAsync(http.User.OrganisationId(), ct)) return TooMany(text);
            var vacancy = await shortlists.OwnVacancyAsync(id, http.User.OrganisationId(), ct);
            if (vacancy is null) return Results.NotFound();
            if (!vacancy.EmployerVerified) return NotVerified(text);
            var size = Math.Clamp(pageSize ?? options.Value.ShortlistPageSize, 1, options.Value.ShortlistPageSize);
            return Results.Ok(await shortlists.ShortlistAsync(vacancy, page ?? 1, size, http.User.UserId(), ct));
        });

        group.MapGet("/candidates/{handle}", async (long id, string handle, HttpContext http, ShortlistQueries shortlists,
            ShortlistViewLimit limit, IStringLocalizer<MatchText> text, CancellationToken ct) =>
        {
            if (!await limit.TryViewAsync(http.User.OrganisationId(), ct)) return TooMany(text);
            var (result, candidate) = await FindAsync(id, handle, http, shortlists, text, ct);
            return result ?? Results.Ok(candidate!.Card);
        });

        group.MapPost("/candidates/{handle}/invite", async (long id, string handle, HttpContext http, ShortlistQueries shortlists,
            OutcomeRecorder recorder, IStringLocalizer<MatchText> text, CancellationToken ct) =>
        {
            var vacancy = await shortlists.OwnVacancyAsync(id, http.User.OrganisationId(), ct);
            var (result, candidate) = await FindAsync(id, handle, http, shortlists, text, ct, vacancy);
            return result ?? ToResult(await recorder.InviteAsync(vacancy!, candidate!.MatchId, http.User.UserId(), ct), text);
        });

        group.MapPost("/candidates/{handle}/outcome", async (long id, string handle, OutcomeRequest request, HttpContext http,
            ShortlistQueries shortlists, OutcomeRecorder recorder, IStringLocalizer<MatchText> text, CancellationToken ct) =>
        {
            var (result, candidate) = await FindAsync(id, handle, http, shortlists, text, ct);
            if (result is not null) return result;
            var recorded = await recorder.RecordAsync(candidate!.MatchId, request, http.User.UserId(), ct);
            if (recorded.Errors is { } errors) return Results.ValidationProblem(errors.ToDictionary(e => e.Key, e => new[] { text[e.Value].Value }));
            return recorded.Concern is { } concern ? WageProblem(concern, text) : ToResult(recorded.Action, text);
        });

        app.MapReview();
    }

    /// <summary>The candidate of the caller's own vacancy, or the answer to give instead (404, 403 for an unverified employer).</summary>
    private static async Task<(IResult? Result, ShortlistQueries.Candidate? Candidate)> FindAsync(long id, string handle, HttpContext http,
        ShortlistQueries shortlists, IStringLocalizer<MatchText> text, CancellationToken ct, ShortlistQueries.OwnVacancy? vacancy = null)
    {
        vacancy ??= await shortlists.OwnVacancyAsync(id, http.User.OrganisationId(), ct);
        if (vacancy is null) return (Results.NotFound(), null);
        if (!vacancy.EmployerVerified) return (NotVerified(text), null);
        var candidate = await shortlists.CandidateAsync(vacancy, handle, http.User.UserId(), ct);
        return candidate is null ? (Results.NotFound(), null) : (null, candidate);
    }

    internal static IResult ToResult(MatchAction action, IStringLocalizer<MatchText> text) => action switch
    {
        MatchAction.Done => Results.NoContent(),
        MatchAction.NotFound => Results.NotFound(),
        MatchAction.Invalid => Results.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = [text["Error_Reason"].Value] }),
        _ => Results.Problem(title: text["Refused_" + action].Value, statusCode: StatusCodes.Status409Conflict),
    };

    /// <summary>A hire's wage needs confirmation: 400 with a code a script can test, and the numbers it is under; send again with confirmed=true.</summary>
    private static IResult WageProblem(OutcomeRecorder.WageConcern concern, IStringLocalizer<MatchText> text) =>
        Results.Problem(title: text["WageConfirmWhy"].Value, statusCode: StatusCodes.Status400BadRequest, extensions: new Dictionary<string, object?>
        {
            ["code"] = "wage_needs_confirmation",
            ["sectorMinimumBdt"] = concern.SectorFloor,
            ["postedMinimumBdt"] = concern.PostedMin,
        });

    private static IResult TooMany(IStringLocalizer<MatchText> text) =>
        Results.Problem(title: text["TooManyViews"].Value, statusCode: StatusCodes.Status429TooManyRequests);

    private static IResult NotVerified(IStringLocalizer<MatchText> text) =>
        Results.Problem(title: text["EmployerNotVerified"].Value, statusCode: StatusCodes.Status403Forbidden);
}
