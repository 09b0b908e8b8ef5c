using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using JobMatch.Matching;
using JobMatch.MatchingContract;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Matching;

/// <summary>SECURITY.md R9: the seeker's own case worker approves or skips each proposal before the employer sees it.</summary>
[Collection(PostgresCollection.Name)]
public sealed class FlowReviewTests(PostgresFixture database, SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task Review_ListsOwnAgencyProposalsWithName_AuditsTheRead_AndApproveShowsTheCard()
    {
        var app = shared.For(database, FlowWorld.Settings());
        var world = new FlowWorld(app, database);
        var worker = await world.CaseWorkerAsync();
        var otherAgency = await world.CaseWorkerAsync();
        var seeker = await world.SeekerAsync(worker);
        var employer = await world.EmployerAsync();
        var vacancy = await world.VacancyAsync(employer.Id);
        await world.ProposeAsync(vacancy);
        var matchId = await world.MatchIdAsync(vacancy, seeker.Id);
        var shortlist = $"/api/employer/vacancies/{vacancy}/shortlist";
        var handle = await world.HandleAsync(vacancy, seeker.Id);
        Assert.DoesNotContain(handle, await employer.Client.GetStringAsync(shortlist));

        var list = await worker.Client.GetFromJsonAsync<JsonElement>("/api/casework/review?page=1");
        var item = list.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("matchId").GetInt64() == matchId);
        Assert.Equal(seeker.Canaries.Name, item.GetProperty("fullName").GetString());
        Assert.Equal("Tailor", item.GetProperty("vacancy").GetProperty("titleEn").GetString());
        Assert.Contains(FlowWorld.Skill, item.GetProperty("explanation").GetProperty("requiredMet").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains(seeker.Canaries.Name, await worker.Client.GetStringAsync("/casework/review"));
        Assert.DoesNotContain(seeker.Reference, await otherAgency.Client.GetStringAsync("/api/casework/review"));
        Assert.Equal(HttpStatusCode.NotFound, (await otherAgency.Client.PostAsync($"/api/casework/review/{matchId}/approve", null)).StatusCode);
        Assert.True(await ContactReadsAsync(seeker.Reference, worker.UserId) > 0);

        var approve = await worker.Client.PostAsync($"/api/casework/review/{matchId}/approve", null);

        Assert.Equal(HttpStatusCode.NoContent, approve.StatusCode);
        Assert.Equal(MatchStatus.Shown, await world.StatusAsync(matchId));
        Assert.Equal([MatchStatus.Approved, MatchStatus.Shown], await EventsAsync(matchId, worker.UserId));
        var approved = await employer.Client.GetStringAsync(shortlist);
        Assert.Contains(handle, approved);
        Assert.DoesNotContain(seeker.Reference, approved); // case work's reference never reaches the employer
        Assert.Equal(HttpStatusCode.Conflict, (await worker.Client.PostAsync($"/api/casework/review/{matchId}/approve", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await worker.Client.PostAsJsonAsync($"/api/casework/review/{matchId}/skip", new { reason = "other" })).StatusCode);
    }

    [Fact]
    public async Task Skip_NeedsAReasonFromTheList_AndKeepsTheCardFromTheEmployer()
    {
        var app = shared.For(database, FlowWorld.Settings());
        var world = new FlowWorld(app, database);
        var worker = await world.CaseWorkerAsync();
        var seeker = await world.SeekerAsync(worker);
        var employer = await world.EmployerAsync();
        var vacancy = await world.VacancyAsync(employer.Id);
        await world.ProposeAsync(vacancy);
        var matchId = await world.MatchIdAsync(vacancy, seeker.Id);
        var skip = $"/api/casework/review/{matchId}/skip";

        Assert.Equal(HttpStatusCode.BadRequest, (await worker.Client.PostAsJsonAsync(skip, new { reason = (string?)null })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await worker.Client.PostAsJsonAsync(skip, new { reason = "he seems shady" })).StatusCode);
        Assert.Equal(MatchStatus.Proposed, await world.StatusAsync(matchId));
        Assert.Equal(HttpStatusCode.NoContent, (await worker.Client.PostAsJsonAsync(skip, new { reason = "safety_concern" })).StatusCode);

        Assert.Equal(MatchStatus.Skipped, await world.StatusAsync(matchId));
        await using var c = await database.DataSource.OpenConnectionAsync();
        Assert.Equal("safety_concern", await c.ExecuteScalarAsync<string>("SELECT review_reason FROM match WHERE id = @matchId", new { matchId }));
        Assert.DoesNotContain(await world.HandleAsync(vacancy, seeker.Id), await employer.Client.GetStringAsync($"/api/employer/vacancies/{vacancy}/shortlist"));
        Assert.Equal(HttpStatusCode.NotFound, (await employer.Client.GetAsync($"/api/employer/vacancies/{vacancy}/candidates/{await world.HandleAsync(vacancy, seeker.Id)}")).StatusCode);
    }

    [Fact]
    public async Task Approve_IsRefused_WhenTheSeekerWithdrewConsentToBeMatched()
    {
        var app = shared.For(database, FlowWorld.Settings());
        var world = new FlowWorld(app, database);
        var worker = await world.CaseWorkerAsync();
        var seeker = await world.SeekerAsync(worker);
        var vacancy = await world.VacancyAsync((await world.EmployerAsync()).Id);
        await world.ProposeAsync(vacancy);
        var matchId = await world.MatchIdAsync(vacancy, seeker.Id);
        await using (var c = await database.DataSource.OpenConnectionAsync())
        {
            await c.ExecuteAsync("UPDATE consent SET withdrawn_at = now() WHERE seeker_id = @id AND purpose = 'matching'", new { id = seeker.Id });
        }

        var approve = await worker.Client.PostAsync($"/api/casework/review/{matchId}/approve", null);

        Assert.Equal(HttpStatusCode.Conflict, approve.StatusCode);
        Assert.Equal(MatchStatus.Proposed, await world.StatusAsync(matchId));
    }

    [Fact]
    public async Task AgencyWithoutReview_HasNothingToReview_AndEmployerSeesTheCardAtOnce()
    {
        var app = shared.For(database, FlowWorld.Settings());
        var world = new FlowWorld(app, database);
        var worker = await world.CaseWorkerAsync(requiresReview: false);
        var seeker = await world.SeekerAsync(worker);
        var employer = await world.EmployerAsync();
        var vacancy = await world.VacancyAsync(employer.Id);
        await world.ProposeAsync(vacancy);

        var list = await worker.Client.GetFromJsonAsync<JsonElement>("/api/casework/review");

        Assert.False(list.GetProperty("agencyReviews").GetBoolean());
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
        Assert.Equal(MatchStatus.Shown, await world.StatusAsync(await world.MatchIdAsync(vacancy, seeker.Id)));
        Assert.Contains(await world.HandleAsync(vacancy, seeker.Id), await employer.Client.GetStringAsync($"/api/employer/vacancies/{vacancy}/shortlist"));
    }

    [Fact]
    public async Task ReviewPage_ApprovesWithAFormPost_InBangla()
    {
        var app = shared.For(database, FlowWorld.Settings());
        var world = new FlowWorld(app, database);
        var agency = await app.CreateOrganisationAsync("case_agency");
        var (client, _) = await app.SignedInClientAsync(JobMatch.Identity.Roles.CaseWorker, agency, language: "bn");
        await JobMatchApp.UseApiTokenAsync(client);
        var worker = new FlowWorld.CaseWorker(client, agency, Guid.Empty, "");
        var seeker = await world.SeekerAsync(worker);
        var vacancy = await world.VacancyAsync((await world.EmployerAsync()).Id);
        await world.ProposeAsync(vacancy);
        var matchId = await world.MatchIdAsync(vacancy, seeker.Id);

        var page = await client.GetStringAsync("/casework/review");
        Assert.Contains("পর্যালোচনার জন্য প্রস্তাবিত মিল", page);
        var post = await client.PostAsync($"/casework/review?handler=Approve&matchId={matchId}", new FormUrlEncodedContent(
            new Dictionary<string, string> { ["__RequestVerificationToken"] = JobMatchApp.FormToken(page) }));

        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Equal(MatchStatus.Shown, await world.StatusAsync(matchId));
    }

    private async Task<List<string>> EventsAsync(long matchId, Guid actor)
    {
        await using var c = await database.DataSource.OpenConnectionAsync();
        return (await c.QueryAsync<string>("SELECT to_status FROM match_event WHERE match_id = @matchId AND actor_user_id = @actor AND actor_role = 'case_worker' ORDER BY id",
            new { matchId, actor })).ToList();
    }

    private async Task<int> ContactReadsAsync(string reference, Guid actor)
    {
        await using var c = await database.DataSource.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<int>("SELECT count(*) FROM audit_log WHERE action = 'seeker_contact_read' AND subject = @subject AND actor_user_id = @actor",
            new { subject = "seeker:" + reference, actor });
    }
}
