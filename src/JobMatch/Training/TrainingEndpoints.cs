using System.Text;
using JobMatch.Identity;
using JobMatch.Seekers;
using Microsoft.AspNetCore.Mvc;

namespace JobMatch.Training;

/// <summary>
/// Training provider JSON API: own trainees (trainee number, first name, skills), skill records, courses and
/// completions, CSV uploads with preview and all-or-nothing commit, templates. Anyone not enrolled with the
/// calling provider is 404.
/// </summary>
internal static class TrainingEndpoints
{
    public sealed record TraineeSkillRequest(int Level, string Source, DateOnly? CertifiedOn, int MonthsExperience);
    public sealed record CourseRequest(string Code, string Name, IReadOnlyList<CourseQueries.CourseSkill> Skills);
    public sealed record CompletionRequest(string TraineeNumber, DateOnly CompletedOn, bool Certified);

    /// <summary>Uploads up to 20 MB: a 100,000-row skills file is about 4 MB.</summary>
    public const long MaxUploadBytes = 20 * 1024 * 1024;

    public static WebApplicationBuilder AddTraining(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<EnrolmentQueries>();
        builder.Services.AddSingleton<TraineeQueries>();
        builder.Services.AddSingleton<CourseQueries>();
        builder.Services.AddScoped<UploadStore>();
        builder.Services.AddSingleton<UploadCommit>();
        return builder;
    }

    public static RouteGroupBuilder MapTraining(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/training").RequireAuthorization(Policies.TrainingProvider).WithTags("Training");

        group.MapGet("/trainees", async (HttpContext http, TraineeQueries trainees, int? page, CancellationToken ct) =>
            Results.Ok(await trainees.ListAsync(http.User.OrganisationId(), page ?? 1, ct)));

        group.MapGet("/trainees/{trainee}", async (HttpContext http, string trainee, TraineeQueries trainees, CancellationToken ct) =>
            (await trainees.ListAsync(http.User.OrganisationId(), 1, ct, trainee)) is [var found]
                ? Results.Ok(found)
                : Results.NotFound());

        group.MapPut("/trainees/{trainee}/skills/{skillCode}", async (HttpContext http, string trainee, string skillCode, TraineeSkillRequest request,
            TraineeQueries trainees, SeekerSkills skills, CancellationToken ct) =>
        {
            if (await trainees.FindAsync(trainee, http.User.OrganisationId(), ct) is not { } seekerId) return Results.NotFound();
            var errors = await skills.UpsertAsync(seekerId, new SeekerSkills.Write(skillCode, request.Level, request.Source ?? "", request.CertifiedOn,
                request.MonthsExperience, http.User.OrganisationId()), ct);
            return errors.Count > 0 ? Results.ValidationProblem(errors) : Results.NoContent();
        });

        group.MapGet("/courses", async (HttpContext http, CourseQueries courses, CancellationToken ct) =>
            Results.Ok(await courses.ListAsync(http.User.OrganisationId(), ct)));

        group.MapPost("/courses", async (HttpContext http, CourseRequest request, CourseQueries courses, CancellationToken ct) =>
        {
            var errors = await courses.CreateAsync(http.User.OrganisationId(), request.Code ?? "", request.Name ?? "", request.Skills ?? [], ct);
            return errors.Count > 0 ? Results.ValidationProblem(errors) : Results.Created($"/api/training/courses/{request.Code}", null);
        });

        group.MapPost("/courses/{code}/completions", async (HttpContext http, string code, CompletionRequest request, TraineeQueries trainees,
            CourseQueries courses, CancellationToken ct) =>
        {
            if (await trainees.FindAsync(request.TraineeNumber, http.User.OrganisationId(), ct) is not { } seekerId) return Results.NotFound();
            if (request.CompletedOn > DateOnly.FromDateTime(DateTime.UtcNow))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["completedOn"] = ["The date is in the future."] });
            }
            return await courses.CompleteAsync(http.User.OrganisationId(), code, seekerId, request.CompletedOn, request.Certified, http.User.UserId(), ct)
                ? Results.NoContent()
                : Results.NotFound();
        });

        group.MapGet("/uploads/template/{kind}", (string kind, string? lang) =>
            UploadFormat.Columns.ContainsKey(kind)
                ? Results.File(Encoding.UTF8.GetBytes(UploadFormat.Template(kind, lang == "bn")), "text/csv; charset=utf-8", $"jobmatch-{kind}-{(lang == "bn" ? "bn" : "en")}.csv")
                : Results.NotFound());

        group.MapPost("/uploads/{kind}", async (HttpContext http, string kind, IFormFile file, UploadStore uploads, CancellationToken ct) =>
        {
            if (!UploadFormat.Columns.ContainsKey(kind)) return Results.NotFound();
            if (file.Length > MaxUploadBytes)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["The file is larger than 20 MB; split it."] });
            }
            await using var stream = file.OpenReadStream();
            var preview = await uploads.UploadAsync(stream, kind, http.User.OrganisationId(), http.User.UserId(), ct);
            return preview.HeaderError is { } header
                ? Results.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [header] })
                : Results.Ok(preview);
        // The /api antiforgery middleware has already checked the X-CSRF-TOKEN header; no form field token here.
        }).DisableAntiforgery().WithMetadata(new RequestSizeLimitAttribute(MaxUploadBytes + 64 * 1024));

        group.MapGet("/uploads/{id:guid}", async (HttpContext http, Guid id, UploadCommit commits, CancellationToken ct) =>
            await commits.PreviewAsync(id, http.User.OrganisationId(), ct) is { } preview ? Results.Ok(preview) : Results.NotFound());

        group.MapPost("/uploads/{id:guid}/commit", async (HttpContext http, Guid id, UploadCommit commits, CancellationToken ct) =>
            await commits.CommitAsync(id, http.User.OrganisationId(), http.User.UserId(), ct) switch
            {
                null => Results.NotFound(),
                { Committed: true } o => Results.Ok(new { committed = true, rows = o.Rows }),
                var o => Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The file has errors; nothing was saved",
                    extensions: new Dictionary<string, object?> { ["errors"] = o.Errors }),
            });

        return group;
    }
}
