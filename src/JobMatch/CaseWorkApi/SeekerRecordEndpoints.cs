using JobMatch.Consent;
using JobMatch.Identity;
using JobMatch.Seekers;
using JobMatch.Training;
using Microsoft.Extensions.Localization;

namespace JobMatch.CaseWorkApi;

/// <summary>Case work on one seeker's records: consents, skills, case file, enrolments (all scoped to the agency).</summary>
internal static class SeekerRecordEndpoints
{
    /// <param name="Channels">For purpose notifications: sms, email (together or alone) or relay (alone).</param>
    public sealed record ConsentRequest(string Purpose, string Method, Guid? EmployerId, long? VacancyId, DateTimeOffset? ExpiresAt, string[]? Channels);
    public sealed record SkillRequest(int Level, string Source, DateOnly? CertifiedOn, int MonthsExperience);
    public sealed record CaseFileRequest(long Version, string? SurvivorStatus, string? ReferralSource);
    public sealed record NoteRequest(string Body);
    public sealed record EnrolRequest(Guid ProviderId, string ConsentMethod);

    public static void MapSeekerRecords(this RouteGroupBuilder group)
    {
        group.MapPost("/{reference}/consents", async (HttpContext http, string reference, ConsentRequest request, SeekerQueries seekers,
            ConsentQueries consents, CancellationToken ct) =>
        {
            if (await seekers.FindAsync(reference, http.User.OrganisationId(), ct) is not { } s) return Results.NotFound();
            var (id, errors) = await consents.GrantAsync(s.Id, s.Reference,
                new ConsentQueries.Grant(request.Purpose ?? "", request.Method ?? "", request.EmployerId, request.VacancyId, request.ExpiresAt, request.Channels),
                http.User.UserId(), ct);
            return errors.Count > 0 ? Results.ValidationProblem(errors) : Results.Ok(new { id });
        });

        group.MapPost("/{reference}/consents/{consentId:long}/withdraw", async (HttpContext http, string reference, long consentId,
            SeekerQueries seekers, ConsentQueries consents, CancellationToken ct) =>
            await seekers.FindAsync(reference, http.User.OrganisationId(), ct) is { } s && await consents.WithdrawAsync(s.Id, s.Reference, consentId, http.User.UserId(), ct)
                ? Results.NoContent()
                : Results.NotFound());

        group.MapPut("/{reference}/skills/{skillCode}", async (HttpContext http, string reference, string skillCode, SkillRequest request,
            SeekerQueries seekers, SeekerSkills skills, CancellationToken ct) =>
        {
            if (await seekers.FindAsync(reference, http.User.OrganisationId(), ct) is not { } s) return Results.NotFound();
            var errors = await skills.UpsertAsync(s.Id, new SeekerSkills.Write(skillCode, request.Level, request.Source ?? "", request.CertifiedOn, request.MonthsExperience, null), ct);
            return errors.Count > 0 ? Results.ValidationProblem(errors) : Results.NoContent();
        });

        group.MapDelete("/{reference}/skills/{skillCode}", async (HttpContext http, string reference, string skillCode,
            SeekerQueries seekers, SeekerSkills skills, CancellationToken ct) =>
            await seekers.FindAsync(reference, http.User.OrganisationId(), ct) is { } s && await skills.DeleteAsync(s.Id, skillCode, ct)
                ? Results.NoContent()
                : Results.NotFound());

        group.MapGet("/{reference}/casefile", async (HttpContext http, string reference, SeekerQueries seekers, CaseFileQueries files, CancellationToken ct) =>
            await seekers.FindAsync(reference, http.User.OrganisationId(), ct) is { } s
                ? Results.Ok(await files.ReadAsync(s.Id, s.Reference, ct))
                : Results.NotFound());

        group.MapPut("/{reference}/casefile", async (HttpContext http, string reference, CaseFileRequest request, SeekerQueries seekers,
            CaseFileQueries files, IStringLocalizer<SeekerText> text, CancellationToken ct) =>
        {
            if (await seekers.FindAsync(reference, http.User.OrganisationId(), ct) is not { } s) return Results.NotFound();
            var saved = await files.SaveAsync(s.Id, s.Reference, request.SurvivorStatus, request.ReferralSource, request.Version, http.User.UserId(), ct);
            // The page's own sentence, in the request's language (Accept-Language).
            return saved switch
            {
                { InvalidField: { } field } => Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [text["InvalidCaseFile"]] }),
                { Version: { } version } => Results.Ok(new { version }),
                _ => SeekerEndpoints.Conflict(),
            };
        });

        group.MapPost("/{reference}/casefile/notes", async (HttpContext http, string reference, NoteRequest request, SeekerQueries seekers,
            CaseFileQueries files, IStringLocalizer<SeekerText> text, CancellationToken ct) =>
        {
            if (await seekers.FindAsync(reference, http.User.OrganisationId(), ct) is not { } s) return Results.NotFound();
            return await files.AddNoteAsync(s.Id, s.Reference, request.Body, http.User.UserId(), ct)
                ? Results.NoContent()
                : Results.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [text["InvalidNote"]] });
        });

        group.MapPost("/{reference}/enrolments", async (HttpContext http, string reference, EnrolRequest request, SeekerQueries seekers,
            EnrolmentQueries enrolments, CancellationToken ct) =>
        {
            if (await seekers.FindAsync(reference, http.User.OrganisationId(), ct) is not { } s) return Results.NotFound();
            var errors = await enrolments.EnrolAsync(s.Id, s.Reference, request.ProviderId, request.ConsentMethod ?? "", http.User.UserId(), ct);
            return errors.Count > 0 ? Results.ValidationProblem(errors) : Results.NoContent();
        });

        group.MapPost("/{reference}/enrolments/{enrolmentId:long}/end", async (HttpContext http, string reference, long enrolmentId,
            SeekerQueries seekers, EnrolmentQueries enrolments, CancellationToken ct) =>
            await seekers.FindAsync(reference, http.User.OrganisationId(), ct) is { } s && await enrolments.EndAsync(s.Id, s.Reference, enrolmentId, ct)
                ? Results.NoContent()
                : Results.NotFound());
    }
}
