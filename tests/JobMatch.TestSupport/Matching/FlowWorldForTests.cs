using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using JobMatch.Identity;
using JobMatch.Matching;
using JobMatch.MatchingContract;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Seekers;
using Microsoft.Extensions.DependencyInjection;

namespace JobMatch.Tests.Matching;

/// <summary>
/// Test data for the match flow: seekers registered through the case-work API (so identities are encrypted) with
/// skills certified by a provider whose name is a canary, employers with signed-in clients, proposals, approvals.
/// </summary>
internal sealed class FlowWorld(JobMatchApp app, PostgresFixture database)
{
    public const string Skill = "HND-005";
    public MatchingWorld Sql { get; } = new(database.DataSource);

    public static Dictionary<string, string?> Settings(int viewsPerHour = 10_000) => new()
    {
        ["Matching:TopK"] = "500", // the database is shared by all tests: keep every eligible seeker in the proposals
        ["Matching:CandidateViewsPerHour"] = viewsPerHour.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public sealed record Employer(HttpClient Client, Guid Id, Guid UserId);

    public async Task<Employer> EmployerAsync()
    {
        var id = await Sql.EmployerAsync();
        var (client, user) = await app.SignedInClientAsync(Roles.Employer, id);
        await JobMatchApp.UseApiTokenAsync(client);
        return new Employer(client, id, user.Id);
    }

    public sealed record CaseWorker(HttpClient Client, Guid AgencyId, Guid UserId, string AgencyName);

    public async Task<CaseWorker> CaseWorkerAsync(bool requiresReview = true)
    {
        var name = "CANARYAGENCY" + Guid.NewGuid().ToString("N")[..8];
        var agency = await app.CreateOrganisationAsync("case_agency", name);
        await using (var c = await database.DataSource.OpenConnectionAsync())
        {
            await c.ExecuteAsync("UPDATE organisation SET requires_match_review = @requiresReview WHERE id = @agency", new { agency, requiresReview });
        }
        var (client, user) = await app.SignedInClientAsync(Roles.CaseWorker, agency);
        await JobMatchApp.UseApiTokenAsync(client);
        return new CaseWorker(client, agency, user.Id, name);
    }

    public sealed record Seeker(string Reference, long Id, SeekerApi.Canaries Canaries, string ProviderName);

    /// <summary>Registers a seeker with canary identity and case file, one skill certified by a canary-named provider.</summary>
    public async Task<Seeker> SeekerAsync(CaseWorker worker, int level = 3)
    {
        var canaries = SeekerApi.Canaries.New();
        var reference = await SeekerApi.RegisterAsync(worker.Client, canaries);
        await SeekerApi.WriteCaseFileAsync(worker.Client, reference, canaries);
        var put = await worker.Client.PutAsJsonAsync($"/api/casework/seekers/{reference}/skills/{Skill}",
            new { level, source = "assessed", monthsExperience = 18 });
        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        var provider = "CANARYPROVIDER" + Guid.NewGuid().ToString("N")[..8];
        var providerId = await app.CreateOrganisationAsync("training_provider", provider);
        await using var c = await database.DataSource.OpenConnectionAsync();
        var id = await c.ExecuteScalarAsync<long>("SELECT id FROM seeker WHERE reference = @reference", new { reference });
        await c.ExecuteAsync(
            "UPDATE seeker_skill SET source = 'certified', certified_by = @providerId, certified_on = DATE '2025-03-01' WHERE seeker_id = @id",
            new { id, providerId });
        return new Seeker(reference, id, canaries, provider);
    }

    /// <summary>A vacancy asking for the seekers' skill (must-have) and two optional skills they lack.</summary>
    public Task<long> VacancyAsync(Guid employerId) => Sql.VacancyAsync(employerId, (Skill, 2, true), ("HND-006", 2, false), ("HND-007", 1, false));

    /// <summary>The employer's per-vacancy handle of this seeker (what employer URLs and cards use).</summary>
    public async Task<string> HandleAsync(long vacancyId, long seekerId)
    {
        await using var c = await database.DataSource.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<string>("SELECT handle FROM match WHERE vacancy_id = @vacancyId AND seeker_id = @seekerId", new { vacancyId, seekerId })
            ?? throw new InvalidOperationException("no match");
    }

    public async Task ProposeAsync(long vacancyId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<MatchProposer>().ProposeForVacancyAsync(vacancyId, CancellationToken.None);
    }

    public async Task<long> MatchIdAsync(long vacancyId, long seekerId)
    {
        await using var c = await database.DataSource.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<long>("SELECT id FROM match WHERE vacancy_id = @vacancyId AND seeker_id = @seekerId", new { vacancyId, seekerId });
    }

    public async Task<string> StatusAsync(long matchId)
    {
        await using var c = await database.DataSource.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<string>("SELECT status FROM match WHERE id = @matchId", new { matchId }) ?? "";
    }

    public async Task<int> EventCountAsync(long matchId)
    {
        await using var c = await database.DataSource.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<int>("SELECT count(*) FROM match_event WHERE match_id = @matchId", new { matchId });
    }

    /// <summary>Puts a match straight into a state (test set-up; the transitions under test are exercised through the API).</summary>
    public async Task SetStatusAsync(long matchId, string status)
    {
        await using var c = await database.DataSource.OpenConnectionAsync();
        await c.ExecuteAsync("UPDATE match SET status = @status WHERE id = @matchId", new { matchId, status });
    }

    /// <summary>Proposes the vacancy and has the case worker approve this seeker's proposal through the API.</summary>
    public async Task<long> ProposeAndApproveAsync(long vacancyId, CaseWorker worker, Seeker seeker)
    {
        await ProposeAsync(vacancyId);
        var matchId = await MatchIdAsync(vacancyId, seeker.Id);
        Assert.NotEqual(0, matchId);
        var approve = await worker.Client.PostAsync($"/api/casework/review/{matchId}/approve", null);
        Assert.Equal(HttpStatusCode.NoContent, approve.StatusCode);
        return matchId;
    }

    /// <summary>The seeker's answer to an offer as the seeker side records it: share_contact consent (through the case-work API) and 'accepted'.</summary>
    public async Task<long> AcceptAsync(CaseWorker worker, Seeker seeker, Guid employerId, long vacancyId, long matchId)
    {
        var grant = await worker.Client.PostAsJsonAsync($"/api/casework/seekers/{seeker.Reference}/consents",
            new { purpose = "share_contact", method = "by_case_worker", employerId, vacancyId });
        Assert.Equal(HttpStatusCode.OK, grant.StatusCode);
        await SetStatusAsync(matchId, MatchStatus.Accepted);
        return (await grant.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }
}
