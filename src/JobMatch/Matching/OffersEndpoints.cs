using JobMatch.Identity;

namespace JobMatch.Matching;

/// <summary>
/// The seeker's side of a match, its relay by case workers and the retention check-ins employers answer.
/// Offers as JSON: the job seeker's own (<c>/api/me/offers</c>) and those of a case worker's caseload
/// (<c>/api/casework/offers</c>). Answers: 204 when done, 404 outside the caller's scope, 409 when the offer has
/// moved on (already answered, vacancy closed), 400 with field errors for an unknown reason.
/// </summary>
internal static class OffersEndpoints
{
    /// <summary>The allow-list of what an offer shows: the vacancy and its employer, nothing about the person.</summary>
    public sealed record OfferView(long MatchId, string Status, string EmployerName, string Title, int? WageMinBdt, int? WageMaxBdt,
        string? Place, string? Hours, bool VacancyOpen, bool ContactShared, string? DeclineReason, DateTime UpdatedAt)
    {
        public static OfferView From(OfferQueries.Offer o) => new(o.MatchId, o.Status, o.EmployerName, o.Title, o.WageMinBdt, o.WageMaxBdt,
            o.Place, o.Hours, o.VacancyOpen, o.ContactConsentId is not null, o.DeclineReason, o.UpdatedAt);
    }

    public sealed record CaseloadOffer(string SeekerReference, OfferView Offer);
    public sealed record DeclineRequest(string? Reason);
    public sealed record RelayAcceptRequest(bool SeekerAgreed);

    public static WebApplicationBuilder AddOffers(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<OfferQueries>();
        builder.Services.AddScoped<OfferAnswers>();
        builder.Services.AddScoped<Sms.IOfferReplies, SmsOfferReplies>();
        builder.Services.AddSingleton<CheckinQueries>();
        builder.Services.AddScoped<CheckinAnswers>();
        return builder;
    }

    public static IEndpointRouteBuilder MapOffers(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/me/offers").RequireAuthorization(Policies.JobSeeker).WithTags("Job seeker");
        me.MapGet("/", async (HttpContext http, OfferQueries offers, CancellationToken ct) =>
            Results.Ok((await offers.ListForSeekerAsync(http.User.UserId(), ct)).Select(OfferView.From)));
        me.MapGet("/{matchId:long}", async (HttpContext http, long matchId, OfferQueries offers, CancellationToken ct) =>
            await offers.FindAsync(matchId, OfferQueries.Scope.Seeker(http.User.UserId()), ct) is { } o ? Results.Ok(OfferView.From(o)) : Results.NotFound());
        me.MapPost("/{matchId:long}/accept", (HttpContext http, long matchId, OfferQueries offers, OfferAnswers answers, CancellationToken ct) =>
            AnswerAsync(matchId, offers, SeekerScope(http), (o, a) => answers.AcceptAsync(o, a, ct), ct));
        me.MapPost("/{matchId:long}/decline", (HttpContext http, long matchId, DeclineRequest? request, OfferQueries offers, OfferAnswers answers, CancellationToken ct) =>
            AnswerAsync(matchId, offers, SeekerScope(http), (o, a) => answers.DeclineAsync(o, request?.Reason, a, ct), ct));
        me.MapPost("/{matchId:long}/withdraw", (HttpContext http, long matchId, OfferQueries offers, OfferAnswers answers, CancellationToken ct) =>
            AnswerAsync(matchId, offers, SeekerScope(http), (o, a) => answers.WithdrawConsentAsync(o, a, ct), ct));

        var casework = app.MapGroup("/api/casework/offers").RequireAuthorization(Policies.CaseWorker).WithTags("Case work");
        casework.MapGet("/", async (HttpContext http, OfferQueries offers, CancellationToken ct) =>
            Results.Ok((await offers.ListOpenForAgencyAsync(http.User.OrganisationId(), ct)).Select(o => new CaseloadOffer(o.SeekerReference, OfferView.From(o)))));
        casework.MapPost("/{matchId:long}/accept", (HttpContext http, long matchId, RelayAcceptRequest request, OfferQueries offers, OfferAnswers answers, CancellationToken ct) =>
            request.SeekerAgreed
                ? AnswerAsync(matchId, offers, AgencyScope(http), (o, a) => answers.AcceptAsync(o, a, ct), ct)
                : Task.FromResult(Results.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["seekerAgreed"] = ["Record an acceptance only after the person has agreed to share their name and phone with this employer for this job."],
                })));
        casework.MapPost("/{matchId:long}/decline", (HttpContext http, long matchId, DeclineRequest? request, OfferQueries offers, OfferAnswers answers, CancellationToken ct) =>
            AnswerAsync(matchId, offers, AgencyScope(http), (o, a) => answers.DeclineAsync(o, request?.Reason, a, ct), ct));
        casework.MapPost("/{matchId:long}/withdraw", (HttpContext http, long matchId, OfferQueries offers, OfferAnswers answers, CancellationToken ct) =>
            AnswerAsync(matchId, offers, AgencyScope(http), (o, a) => answers.WithdrawConsentAsync(o, a, ct), ct));

        app.MapCheckins();
        return app;
    }

    private static (OfferQueries.Scope, OfferAnswers.Actor) SeekerScope(HttpContext http) =>
        (OfferQueries.Scope.Seeker(http.User.UserId()), OfferAnswers.Actor.Seeker(http.User.UserId()));

    private static (OfferQueries.Scope, OfferAnswers.Actor) AgencyScope(HttpContext http) =>
        (OfferQueries.Scope.Agency(http.User.OrganisationId()), OfferAnswers.Actor.CaseWorker(http.User.UserId()));

    private static async Task<IResult> AnswerAsync(long matchId, OfferQueries offers,
        (OfferQueries.Scope Scope, OfferAnswers.Actor Actor) who, Func<OfferQueries.Offer, OfferAnswers.Actor, Task<OfferAnswers.Result>> answer, CancellationToken ct)
    {
        if (await offers.FindAsync(matchId, who.Scope, ct) is not { } offer) return Results.NotFound();
        return await answer(offer, who.Actor) switch
        {
            OfferAnswers.Result.Done => Results.NoContent(),
            OfferAnswers.Result.NotFound => Results.NotFound(),
            OfferAnswers.Result.Invalid => Results.ValidationProblem(new Dictionary<string, string[]>
            {
                ["reason"] = [$"Leave empty or use one of: {string.Join(", ", OfferAnswers.DeclineReasons)}."],
            }),
            _ => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The offer has moved on",
                detail: "It was already answered, or the vacancy is no longer open. Reload it."),
        };
    }
}
