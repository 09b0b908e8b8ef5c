using Microsoft.AspNetCore.Http.HttpResults;

namespace JobMatch.Vacancies;

/// <summary>The public job board as JSON: <c>/api/board</c> (anonymous, reviewed in EndpointPolicyTests).</summary>
internal static class BoardEndpoints
{
    public static RouteHandlerBuilder MapBoard(this IEndpointRouteBuilder app)
    {
        // Mapped without a group so the routes read exactly "/api/board" and "/api/board/{id:long}" on the reviewed list.
        var list = app.MapGet("/api/board", async ([AsParameters] BoardQuery query, BoardQueries board, TimeProvider time, CancellationToken ct) =>
        {
            var filter = new BoardFilter
            {
                Q = query.Q, Sector = query.Sector, Upazila = query.Upazila, Kind = query.Kind, MinWage = query.MinWage, Page = query.Page,
            };
            var page = await board.SearchAsync(filter, BoardClock.Today(time), ct);
            return TypedResults.Ok(new { page.Page, page.PageSize, page.Total, page.HasNext, page.Items });
        }).AllowAnonymous().CacheOutput(BoardCache.PolicyName).WithTags("Job board");

        app.MapGet("/api/board/{id:long}", async Task<Results<Ok<BoardVacancy>, NotFound>> (long id, BoardQueries board, TimeProvider time, CancellationToken ct) =>
            await board.FindAsync(id, BoardClock.Today(time), ct) is { } v ? TypedResults.Ok(v) : TypedResults.NotFound())
            .AllowAnonymous().CacheOutput(BoardCache.PolicyName).WithTags("Job board");

        return list;
    }

    internal sealed record BoardQuery(string? Q, string? Sector, string? Upazila, string? Kind, int? MinWage, int? Page);
}
