using JobMatch.Identity;

namespace JobMatch.Matching;

/// <summary>
/// Retention check-ins as JSON for employers (<c>/api/employer/checkins</c>): the pending ones, and an answer to one.
/// Another employer's check-in is 404; an answer to one already answered is 409.
/// </summary>
internal static class CheckinEndpoints
{
    public sealed record CheckinView(long Id, string Handle, string Title, int Months, DateOnly DueOn, bool Due, DateOnly? StartedOn);

    /// <param name="Answer"><c>still_employed</c> or <c>left</c>.</param>
    public sealed record CheckinAnswer(string? Answer, DateOnly? LeftOn, string? Reason);

    public static IEndpointRouteBuilder MapCheckins(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/employer/checkins").RequireAuthorization(Policies.Employer).WithTags("Employer");
        group.MapGet("/", async (HttpContext http, CheckinQueries checkins, CancellationToken ct) =>
            Results.Ok((await checkins.ListPendingAsync(http.User.OrganisationId(), ct)).Select(c => new CheckinView(
                c.Id, c.Handle, c.Title, c.Months, DateOnly.FromDateTime(c.DueOn), c.Due,
                c.HiredStartDate is { } s ? DateOnly.FromDateTime(s) : null))));

        group.MapPost("/{checkinId:long}", async (HttpContext http, long checkinId, CheckinAnswer request, CheckinQueries checkins,
            CheckinAnswers answers, CancellationToken ct) =>
        {
            if (await checkins.FindAsync(checkinId, http.User.OrganisationId(), ct) is not { } checkin) return Results.NotFound();
            var (result, errors) = request.Answer switch
            {
                "still_employed" => await answers.StillEmployedAsync(checkin, ct),
                "left" => await answers.LeftAsync(checkin, request.LeftOn, request.Reason, ct),
                _ => (CheckinAnswers.Result.Invalid, new Dictionary<string, string[]> { ["answer"] = ["Use still_employed or left."] }),
            };
            return result switch
            {
                CheckinAnswers.Result.Done => Results.NoContent(),
                CheckinAnswers.Result.Invalid => Results.ValidationProblem(errors),
                _ => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already answered"),
            };
        });
        return app;
    }
}
