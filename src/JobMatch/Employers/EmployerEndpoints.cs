using JobMatch.Identity;
using JobMatch.Web;
using JobMatch.Vacancies;
using Microsoft.Extensions.Localization;

namespace JobMatch.Employers;

/// <summary>
/// <c>/api/employers/me</c>: an employer's own profile. <c>/api/employers</c>: admins list, create, verify and suspend employers.
/// </summary>
internal static class EmployerEndpoints
{
    /// <summary>Employers and their vetting (Employers uses Vacancies: suspension closes vacancies).</summary>
    public static WebApplicationBuilder AddEmployers(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<EmployerQueries>();
        services.AddSingleton<EmployerVetting>();
        services.AddScoped<EmployerAccounts>();
        services.AddScoped<EmployerRegistration>();
        services.AddKeyedSingleton<IAddressThrottle, RegistrationRateLimit>(RegistrationRateLimit.Name);
        return builder;
    }

    public static void MapEmployers(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/employers/me").RequireAuthorization(Policies.Employer).WithTags("Employers");
        me.MapGet("", async (HttpContext http, EmployerQueries queries, CancellationToken ct) =>
            await queries.FindAsync(http.User.OrganisationId(), ct) is { } e ? Results.Ok(e) : Results.NotFound());
        me.MapPut("", async (EmployerInput input, HttpContext http, EmployerQueries queries,
            IStringLocalizer<BoardText> text, CancellationToken ct) =>
        {
            var errors = new FieldErrors();
            var organisationId = http.User.OrganisationId();
            var (result, _) = await queries.SaveProfileAsync(organisationId, input, errors, ct);
            return result switch
            {
                SaveResult.Invalid => Results.ValidationProblem(errors.ToDictionary(text)),
                SaveResult.NotFound => Results.NotFound(),
                SaveResult.Conflict => Results.Problem(title: text["Conflict"], statusCode: StatusCodes.Status409Conflict),
                _ => Results.Ok(await queries.FindAsync(organisationId, ct)),
            };
        });

        var admin = app.MapGroup("/api/employers").RequireAuthorization(Policies.Admin).WithTags("Employers");
        admin.MapGet("", async (string? status, EmployerQueries queries, CancellationToken ct) =>
            Results.Ok(await queries.ListAsync(string.IsNullOrWhiteSpace(status) ? null : status, ct)));
        admin.MapGet("/{id:guid}", async (Guid id, EmployerQueries queries, CancellationToken ct) =>
            await queries.FindAsync(id, ct) is { } e ? Results.Ok(e) : Results.NotFound());
        admin.MapPost("", async (NewEmployerInput input, EmployerAccounts accounts, IStringLocalizer<BoardText> text, CancellationToken ct) =>
        {
            var errors = new FieldErrors();
            var created = await accounts.CreateAsync(input.Employer, input.UserName, errors, ct);
            if (created is null) return Results.ValidationProblem(errors.ToDictionary(text));
            return Results.Created($"/api/employers/{created.OrganisationId}",
                new { created.OrganisationId, created.UserName, created.InitialPassword, status = EmployerStatus.Pending });
        });
        admin.MapPost("/{id:guid}/verify", async (Guid id, HttpContext http, EmployerVetting vetting, EmployerQueries queries, CancellationToken ct) =>
            await vetting.VerifyAsync(id, http.User.UserId(), ct) ? Results.Ok(await queries.FindAsync(id, ct)) : Results.NotFound());
        admin.MapPost("/{id:guid}/suspend", async (Guid id, SuspendInput input, HttpContext http, EmployerVetting vetting,
            EmployerQueries queries, IStringLocalizer<BoardText> text, CancellationToken ct) =>
        {
            var errors = new FieldErrors();
            if (EmployerVetting.CheckReason(input.Reason, errors) is not { } reason) return Results.ValidationProblem(errors.ToDictionary(text));
            var closed = await vetting.SuspendAsync(id, reason, http.User.UserId(), ct);
            return closed is null ? Results.NotFound() : Results.Ok(new { employer = await queries.FindAsync(id, ct), closedVacancies = closed });
        });
    }
}
