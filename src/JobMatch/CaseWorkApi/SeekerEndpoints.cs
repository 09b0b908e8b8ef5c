using JobMatch.Consent;
using JobMatch.Demo;
using JobMatch.Identity;
using JobMatch.Seekers;
using JobMatch.Training;

namespace JobMatch.CaseWorkApi;

/// <summary>
/// Case work JSON API: register, read (identity audited), edit profile and do-not-match rules (optimistic
/// concurrency: stale version → 409), pause or withdraw from the programme, see who viewed, set a sign-in password, erase. Only case workers, and only
/// seekers of their own agency (anything else is 404). Admins have no access to identities or case files: the
/// platform operator is not a case agency.
/// </summary>
internal static class SeekerEndpoints
{
    public sealed record ProfileUpdate(long Version, SeekerProfile Profile);
    public sealed record RulesUpdate(long Version, DoNotMatchRules Rules);
    public sealed record PasswordRequest(string Password, bool UseEmail = false);
    public sealed record StatusRequest(string? Status);

    public sealed record SeekerDetail(string Reference, string Status, long Version, SeekerIdentity? Identity, SeekerProfile Profile,
        DoNotMatchRules Rules, bool Matchable, bool HasSignIn, IReadOnlyList<SeekerSkillView> Skills,
        IReadOnlyList<ConsentQueries.ConsentRow> Consents, IReadOnlyList<EnrolmentQueries.EnrolmentRow> Enrolments);

    public static WebApplicationBuilder AddSeekers(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SeekerQueries>();
        builder.Services.AddSingleton<SeekerRegistration>();
        builder.Services.AddSingleton<SeekerIdentities>();
        builder.Services.AddSingleton<SeekerFirstNames>();
        builder.Services.AddSingleton<SeekerContact>();
        builder.Services.AddSingleton<SeekerSkills>();
        builder.Services.AddSingleton<SeekerErasure>();
        builder.Services.AddSingleton<CaseFileQueries>();
        builder.Services.AddSingleton<ConsentQueries>();
        builder.Services.AddScoped<SeekerAccounts>();
        builder.Services.AddScoped<DemoSeekers>();
        return builder;
    }

    public static RouteGroupBuilder MapSeekers(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/casework/seekers").RequireAuthorization(Policies.CaseWorker).WithTags("Case work");

        group.MapGet("/", async (HttpContext http, SeekerQueries seekers, int? page, CancellationToken ct) =>
            Results.Ok(await seekers.CaseloadAsync(http.User.OrganisationId(), page ?? 1, ct)));

        group.MapPost("/", async (HttpContext http, RegisterSeekerRequest request, SeekerRegistration registration,
            Microsoft.Extensions.Localization.IStringLocalizer<SeekerText> text, CancellationToken ct) =>
            await registration.RegisterAsync(request, http.User.OrganisationId(), http.User.UserId(), ct) switch
            {
                SeekerRegistration.Registered r => Results.Created($"/api/casework/seekers/{r.Reference}", new { reference = r.Reference }),
                SeekerRegistration.DuplicatePhone d => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Phone number already registered",
                    detail: "Send confirmDuplicatePhone: true to register anyway.", type: "duplicate_phone",
                    extensions: new Dictionary<string, object?> { ["existingReference"] = d.ExistingReference }),
                SeekerRegistration.DuplicateEmail d => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: text["DuplicateEmailTitle"].Value,
                    detail: "Send confirmDuplicateEmail: true to register anyway.", type: "duplicate_email",
                    extensions: new Dictionary<string, object?> { ["existingReference"] = d.ExistingReference }),
                SeekerRegistration.NeedsAdminCheck => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: text["CouldNotRegister"].Value,
                    type: "needs_admin_check"),
                SeekerRegistration.TooManyChecks => Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: text["TooManyChecks"].Value),
                SeekerRegistration.Invalid i => Results.ValidationProblem(i.Errors),
                _ => throw new InvalidOperationException(),
            });

        group.MapGet("/{reference}", async (HttpContext http, string reference, SeekerQueries seekers, SeekerIdentities identities,
            SeekerSkills skills, ConsentQueries consents, EnrolmentQueries enrolments, CancellationToken ct) =>
        {
            if (await seekers.FindAsync(reference, http.User.OrganisationId(), ct) is not { } s) return Results.NotFound();
            return Results.Ok(new SeekerDetail(s.Reference, s.Status, s.Version, await identities.ReadAsync(s.Id, s.Reference, ct),
                s.Profile, s.Rules, await consents.IsMatchableAsync(s.Id, ct), s.UserId is not null,
                await skills.ListAsync(s.Id, ct), await consents.ListAsync(s.Id, ct), await enrolments.ListAsync(s.Id, ct)));
        });

        group.MapPut("/{reference}/profile", async (HttpContext http, string reference, ProfileUpdate update, SeekerQueries seekers,
            CancellationToken ct) =>
        {
            if (await seekers.FindAsync(reference, http.User.OrganisationId(), ct) is not { } s) return Results.NotFound();
            if (update.Profile is null) return Missing("profile");
            var errors = new Dictionary<string, string[]>();
            return await seekers.UpdateProfileAsync(s.Id, update.Version, update.Profile, http.User.UserId(), errors, ct) is { } version
                ? Results.Ok(new { version })
                : errors.Count > 0 ? Results.ValidationProblem(errors) : Conflict();
        });

        group.MapPut("/{reference}/rules", async (HttpContext http, string reference, RulesUpdate update, SeekerQueries seekers,
            CancellationToken ct) =>
        {
            if (await seekers.FindAsync(reference, http.User.OrganisationId(), ct) is not { } s) return Results.NotFound();
            if (update.Rules is null) return Missing("rules");
            var errors = new Dictionary<string, string[]>();
            return await seekers.UpdateRulesAsync(s.Id, update.Version, update.Rules, http.User.UserId(), errors, ct) is { } version
                ? Results.Ok(new { version })
                : errors.Count > 0 ? Results.ValidationProblem(errors) : Conflict();
        });

        // Pause, withdraw from the programme, or back to active: the same operation as the seeker's case-work page.
        group.MapPut("/{reference}/status", async (HttpContext http, string reference, StatusRequest request, SeekerQueries seekers, CancellationToken ct) =>
        {
            if (await seekers.FindAsync(reference, http.User.OrganisationId(), ct) is not { } s) return Results.NotFound();
            var change = await seekers.SetStatusAsync(s.Id, s.Reference, request?.Status, http.User.UserId(), ct);
            if (!change.Found) return Results.NotFound();
            return change.Errors.Count > 0 ? Results.ValidationProblem(change.Errors) : Results.NoContent();
        });

        group.MapGet("/{reference}/access-log", async (HttpContext http, string reference, SeekerQueries seekers, CancellationToken ct) =>
            await seekers.FindAsync(reference, http.User.OrganisationId(), ct, includeErased: true) is { } s
                ? Results.Ok(await seekers.AccessLogAsync(s.Reference, ct))
                : Results.NotFound());

        group.MapPost("/{reference}/password", async (HttpContext http, string reference, PasswordRequest request, SeekerQueries seekers,
            SeekerAccounts accounts, CancellationToken ct) =>
        {
            if (await seekers.FindAsync(reference, http.User.OrganisationId(), ct) is not { } s) return Results.NotFound();
            var errors = await accounts.SetPasswordAsync(s, request.Password ?? "", request.UseEmail, ct);
            return errors.Count > 0 ? Results.ValidationProblem(errors) : Results.NoContent();
        });

        // Erasure is idempotent: erasing an erased seeker answers 204 again and changes nothing.
        group.MapDelete("/{reference}", async (HttpContext http, string reference, SeekerQueries seekers, SeekerErasure erasure, CancellationToken ct) =>
        {
            if (await seekers.FindAsync(reference, http.User.OrganisationId(), ct, includeErased: true) is not { } s) return Results.NotFound();
            await erasure.EraseAsync(s.Id, s.Reference, ct);
            return Results.NoContent();
        });

        group.MapSeekerRecords();
        return group;
    }

    /// <summary>A body without the object to save (e.g. <c>{}</c>): 400, not a null dereference and a 500.</summary>
    private static IResult Missing(string field) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [$"The request has no {field}."] });

    internal static IResult Conflict() => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Changed by someone else",
        detail: "This record was changed since you read it. Read it again and re-apply your change.");
}
