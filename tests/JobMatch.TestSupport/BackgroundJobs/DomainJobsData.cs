using System.Net;
using System.Net.Http.Json;
using Dapper;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Seekers;
using JobMatch.Tests.Vacancies;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace JobMatch.Tests.BackgroundJobs;

/// <summary>
/// Data for the domain-job tests, made through the API where the real path matters (seekers with encrypted canary
/// identities, vacancies published by a verified employer). Vacancies ask for a skill no other test uses (a
/// housekeeper's, DOM-005), so their candidates are this test's seekers.
/// </summary>
internal static class DomainJobsData
{
    public const string Skill = "DOM-005";

    /// <summary>A case agency whose proposals go straight to employers (no review), a signed-in case worker of it.</summary>
    public static async Task<(HttpClient CaseWorker, Guid AgencyId)> AgencyAsync(JobMatchApp app, bool requiresReview = false)
    {
        var agencyId = await app.CreateOrganisationAsync("case_agency");
        await using (var connection = await app.Database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("UPDATE organisation SET requires_match_review = @requiresReview WHERE id = @agencyId", new { agencyId, requiresReview });
        }
        return (await SeekerApi.CaseWorkerAsync(app, agencyId), agencyId);
    }

    /// <summary>A seeker in Ukhia registered with canary identity, matching consent and the test skill; optionally consenting to notifications.</summary>
    public static async Task<(long Id, string Reference, SeekerApi.Canaries Canaries)> SeekerAsync(JobMatchApp app, HttpClient caseWorker, bool notifications)
    {
        var canaries = SeekerApi.Canaries.New();
        var reference = await SeekerApi.RegisterAsync(caseWorker, canaries);
        var skill = await caseWorker.PutAsJsonAsync($"/api/casework/seekers/{reference}/skills/{Skill}",
            new { level = 3, source = "assessed", monthsExperience = 24 });
        Assert.True(skill.IsSuccessStatusCode, $"skill: {(int)skill.StatusCode}");
        if (notifications)
        {
            var consent = await caseWorker.PostAsJsonAsync($"/api/casework/seekers/{reference}/consents", new { purpose = "notifications", method = "in_person", channels = new[] { "sms", "email" } });
            Assert.True(consent.IsSuccessStatusCode, $"consent: {(int)consent.StatusCode}");
        }
        await using var connection = await app.Database.DataSource.OpenConnectionAsync();
        var id = await connection.ExecuteScalarAsync<long>("SELECT id FROM seeker WHERE reference = @reference", new { reference });
        return (id, reference, canaries);
    }

    /// <summary>A verified employer with a contact address and language, and its signed-in user (API token set).</summary>
    public static async Task<(HttpClient Client, Guid EmployerId, string Email)> EmployerAsync(JobMatchApp app, string language)
    {
        var (client, employerId) = await BoardTestData.EmployerClientAsync(app);
        var email = $"employer-{Guid.NewGuid():N}@example.org";
        await using var connection = await app.Database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("UPDATE employer SET contact_email = @email, preferred_language = @language WHERE organisation_id = @employerId",
            new { email, language, employerId });
        return (client, employerId, email);
    }

    /// <summary>Creates and publishes (through the API) a vacancy in Ukhia asking for the test skill.</summary>
    public static async Task<long> PublishAsync(HttpClient employer, string token)
    {
        var id = await BoardTestData.CreateDraftAsync(employer, BoardTestData.Input(token, v =>
            v.Skills = [new JobMatch.Vacancies.VacancySkillInput { Code = Skill, MinLevel = 1, Required = true }]));
        var response = await employer.PostAsync($"/api/vacancies/{id}/publish", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return id;
    }

    /// <summary>Runs a job the way Hangfire does: resolved in its own scope, with ids only.</summary>
    public static async Task RunAsync<TJob>(IServiceProvider services, Func<TJob, Task> run) where TJob : notnull
    {
        await using var scope = services.CreateAsyncScope();
        await run(ActivatorUtilities.CreateInstance<TJob>(scope.ServiceProvider));
    }

    /// <summary>
    /// Drops jobs earlier tests left queued (their hosts ran no server), so a test's own Hangfire server starts with
    /// an empty queue. Tests of the database collection run one at a time, so nobody else is waiting for those.
    /// </summary>
    public static async Task ClearHangfireQueueAsync(NpgsqlDataSource db)
    {
        await using var connection = await db.OpenConnectionAsync();
        // The schema exists once any host has started (Hangfire installs it).
        await connection.ExecuteAsync("DO $$ BEGIN IF to_regclass('hangfire.jobqueue') IS NOT NULL THEN DELETE FROM hangfire.jobqueue; END IF; END $$");
    }

    /// <summary>A fingerprint of every table in the public schema (one md5 per table), to compare states.</summary>
    public static async Task<Dictionary<string, string>> SnapshotAsync(NpgsqlDataSource db)
    {
        await using var connection = await db.OpenConnectionAsync();
        var tables = await connection.QueryAsync<string>(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name");
        var snapshot = new Dictionary<string, string>();
        foreach (var table in tables)
        {
            // Identifiers from the catalogue, quoted: not input.
            snapshot[table] = await connection.ExecuteScalarAsync<string>(
                $"SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM public.\"{table}\" t") ?? "";
        }
        return snapshot;
    }
}
