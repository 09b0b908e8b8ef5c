using JobMatch.Identity;
using JobMatch.Web;
using Microsoft.Extensions.Localization;

namespace JobMatch.Vacancies;

/// <summary>Issue 4, the job board: vacancies, the public board, the CSV import (employers and their vetting: <c>AddEmployers</c>).</summary>
internal static class JobBoardExtensions
{
    public const long MaxImportBytes = 5 * 1024 * 1024;

    public static WebApplicationBuilder AddJobBoard(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<Taxonomy>();
        services.AddSingleton<VacancyEvents>();
        services.AddScoped<DemoVacancies>();
        services.AddSingleton<VacancyQueries>();
        services.AddSingleton<VacancyLifecycle>();
        services.AddSingleton<BoardQueries>();
        // Anonymous board pages and API from the output cache, evicted on every node by PostgreSQL notices (BoardCache).
        services.AddSingleton<BoardCache>();
        services.AddSingleton<BoardChangeListener>();
        services.AddHostedService(sp => sp.GetRequiredService<BoardChangeListener>());
        services.AddOutputCache(options => options.AddPolicy(BoardCache.PolicyName, new BoardCachePolicy()));
        services.AddSingleton<VacancyImport>();
        return builder;
    }

    public static void MapJobBoard(this IEndpointRouteBuilder app)
    {
        app.MapBoard();
        app.MapVacancies();

        // CSV body (text/csv), not a multipart form: the API's antiforgery header covers it like any other call.
        app.MapPost("/api/vacancy-imports", async (HttpRequest request, bool? commit, VacancyImport import, TimeProvider time,
            IStringLocalizer<BoardText> text, CancellationToken ct) =>
        {
            // Read the body asynchronously (the CSV reader is synchronous) and never more than the limit.
            var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > MaxImportBytes) return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
                buffer.Write(chunk, 0, read);
            }
            buffer.Position = 0;
            using var reader = new StreamReader(buffer, System.Text.Encoding.UTF8);
            var report = await import.RunAsync(reader, commit == true, BoardClock.Today(time), ct);
            var body = new
            {
                report.Rows, report.ValidRows, report.Committed, report.Published,
                Errors = report.Errors.Select(e => new { e.Line, e.Column, e.Value, Message = FieldErrors.Format(text, e.Key, e.Arg) }),
            };
            return commit == true && !report.Committed ? Results.UnprocessableEntity(body) : Results.Ok(body);
        }).RequireAuthorization(Policies.Admin).WithTags("Vacancies").Accepts<string>("text/csv");
    }
}
