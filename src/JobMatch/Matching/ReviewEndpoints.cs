using JobMatch.Identity;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace JobMatch.Matching;

/// <summary>Case-worker review as JSON: <c>/api/casework/review</c>. Only proposals of the agency's own seekers (else 404).</summary>
internal static class ReviewEndpoints
{
    public sealed record SkipRequest(string? Reason);

    public static RouteGroupBuilder MapReview(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/casework/review").RequireAuthorization(Policies.CaseWorker).WithTags("Case work");

        group.MapGet("", async (int? page, HttpContext http, ReviewQueries review, IOptions<ShortlistOptions> options, CancellationToken ct) =>
            Results.Ok(await review.ListAsync(http.User.OrganisationId(), page ?? 1, options.Value.ShortlistPageSize, http.User.UserId(), ct)));

        group.MapPost("/{matchId:long}/approve", async (long matchId, HttpContext http, ReviewQueries review, IStringLocalizer<MatchText> text, CancellationToken ct) =>
            ShortlistEndpoints.ToResult(await review.ApproveAsync(http.User.OrganisationId(), matchId, http.User.UserId(), ct), text));

        group.MapPost("/{matchId:long}/skip", async (long matchId, SkipRequest request, HttpContext http, ReviewQueries review,
            IStringLocalizer<MatchText> text, CancellationToken ct) =>
            ShortlistEndpoints.ToResult(await review.SkipAsync(http.User.OrganisationId(), matchId, request.Reason, http.User.UserId(), ct), text));

        return group;
    }
}
