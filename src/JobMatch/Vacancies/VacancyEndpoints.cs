using JobMatch.Identity;
using JobMatch.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;

namespace JobMatch.Vacancies;

/// <summary>An employer's own vacancies: <c>/api/vacancies</c>. Another employer's vacancy answers 404.</summary>
internal static class VacancyEndpoints
{
    /// <summary>Optional on POST: a client-chosen key that makes retrying a create safe (SECURITY.md F7).</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const int MaxIdempotencyKeyLength = 100;

    public static RouteGroupBuilder MapVacancies(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/vacancies").RequireAuthorization(Policies.Employer).WithTags("Vacancies");

        group.MapGet("", async (HttpContext http, VacancyQueries queries, CancellationToken ct) =>
            TypedResults.Ok(await queries.ListForEmployerAsync(http.User.OrganisationId(), ct)));

        group.MapGet("/{id:long}", async Task<Results<Ok<VacancyRecord>, NotFound>> (long id, HttpContext http, VacancyQueries queries, CancellationToken ct) =>
            await queries.FindForEmployerAsync(id, http.User.OrganisationId(), ct) is { } v ? TypedResults.Ok(v) : TypedResults.NotFound());

        group.MapPost("", async (VacancyInput input, HttpContext http, VacancyQueries queries, VacancyLifecycle lifecycle, TimeProvider time,
            IStringLocalizer<BoardText> text, CancellationToken ct) =>
        {
            var employerId = http.User.OrganisationId();
            var key = http.Request.Headers[IdempotencyKeyHeader].ToString();
            if (key.Length > MaxIdempotencyKeyLength)
            {
                return Results.Problem(title: text["IdempotencyKeyTooLong"], statusCode: StatusCodes.Status400BadRequest);
            }
            var errors = new FieldErrors();
            if (await lifecycle.CreateAsync(employerId, input, BoardClock.Today(time), errors, ct, key.Length == 0 ? null : key) is not { } made)
            {
                return Results.ValidationProblem(errors.ToDictionary(text));
            }
            var (id, created) = made;
            var vacancy = await queries.FindForEmployerAsync(id, employerId, ct);
            // A repeated key answers with the draft the first request made (a retry after a lost answer, a double click).
            return created ? Results.Created($"/api/vacancies/{id}", vacancy) : Results.Ok(vacancy);
        });

        group.MapPut("/{id:long}", async (long id, VacancyInput input, HttpContext http, VacancyQueries queries, VacancyLifecycle lifecycle,
            TimeProvider time, IStringLocalizer<BoardText> text, CancellationToken ct) =>
        {
            var employerId = http.User.OrganisationId();
            var errors = new FieldErrors();
            return await lifecycle.EditAsync(id, employerId, input, BoardClock.Today(time), errors, ct) switch
            {
                UpdateResult.NotFound => Results.NotFound(),
                UpdateResult.Invalid => Results.ValidationProblem(errors.ToDictionary(text)),
                UpdateResult.Conflict => Results.Problem(title: text["Conflict"], statusCode: StatusCodes.Status409Conflict),
                UpdateResult.NotEditable => Results.Problem(title: text["NotEditable"], statusCode: StatusCodes.Status409Conflict),
                _ => Results.Ok(await queries.FindForEmployerAsync(id, employerId, ct)),
            };
        });

        group.MapPost("/{id:long}/publish", async (long id, HttpContext http, VacancyQueries queries, VacancyLifecycle lifecycle,
            Taxonomy taxonomy, TimeProvider time, IStringLocalizer<BoardText> text, CancellationToken ct) =>
        {
            var employerId = http.User.OrganisationId();
            var outcome = await lifecycle.PublishAsync(id, employerId, BoardClock.Today(time), ct);
            if (outcome == VacancyOutcome.Done) return Results.Ok(await queries.FindForEmployerAsync(id, employerId, ct));
            var current = await queries.FindForEmployerAsync(id, employerId, ct);
            return OutcomeResults.ToResult(outcome, text, current?.SectorCode, await taxonomy.LoadAsync(ct));
        });

        group.MapPost("/{id:long}/close", (long id, HttpContext http, VacancyQueries queries, VacancyLifecycle lifecycle, IStringLocalizer<BoardText> text, CancellationToken ct) =>
            CloseAsync(id, filled: false, http, queries, lifecycle, text, ct));

        group.MapPost("/{id:long}/fill", (long id, HttpContext http, VacancyQueries queries, VacancyLifecycle lifecycle, IStringLocalizer<BoardText> text, CancellationToken ct) =>
            CloseAsync(id, filled: true, http, queries, lifecycle, text, ct));

        group.MapPost("/{id:long}/copy", async (long id, HttpContext http, VacancyQueries queries, TimeProvider time, CancellationToken ct) =>
        {
            var employerId = http.User.OrganisationId();
            var copy = await queries.CopyAsync(id, employerId, BoardClock.Today(time), ct);
            return copy is { } newId
                ? Results.Created($"/api/vacancies/{newId}", await queries.FindForEmployerAsync(newId, employerId, ct))
                : Results.NotFound();
        });

        return group;
    }

    private static async Task<IResult> CloseAsync(long id, bool filled, HttpContext http, VacancyQueries queries, VacancyLifecycle lifecycle,
        IStringLocalizer<BoardText> text, CancellationToken ct)
    {
        var employerId = http.User.OrganisationId();
        var outcome = await lifecycle.CloseAsync(id, employerId, filled, ct);
        return outcome == VacancyOutcome.Done
            ? Results.Ok(await queries.FindForEmployerAsync(id, employerId, ct))
            : OutcomeResults.ToResult(outcome, text, null, null);
    }
}
