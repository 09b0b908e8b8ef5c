using System.Net;
using System.Net.Http.Json;
using Dapper;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Matching;

/// <summary>A case worker relays a seeker's answer: consent 'by_case_worker', own agency only.</summary>
[Collection(PostgresCollection.Name)]
public sealed class OffersRelayTests(PostgresFixture database, SharedApp shared) : IClassFixture<SharedApp>
{
    private readonly JobMatchApp _app = shared.For(database); // one host for the class (SharedApp)
    private readonly OffersWorld _world = new(shared.For(database));

    [Fact]
    public async Task CaseWorker_RecordsAcceptance_AsConsentByCaseWorker_OnlyOnceThePersonAgreed()
    {
        var agency = await _world.World.AgencyAsync();
        var seeker = await _world.SeekerAsync(agency);
        var (employer, vacancy) = await _world.VacancyAsync();
        var match = await _world.MatchAsync(seeker.Id, vacancy);
        var (client, caseWorker) = await _app.SignedInClientAsync(Roles.CaseWorker, agency);

        var page = await client.GetStringAsync("/casework/offers");
        var token = JobMatchApp.FormToken(page);
        var unticked = await client.PostAsync("/casework/offers?handler=Accept", OffersTests.Form(token, ("matchId", match.ToString())));
        var ticked = await client.PostAsync("/casework/offers?handler=Accept",
            OffersTests.Form(token, ("matchId", match.ToString()), ("seekerAgreed", "true")));

        Assert.Contains(seeker.Reference, page);
        Assert.Contains($"/casework/seekers/{seeker.Reference}/account", page); // who viewed this seeker
        Assert.Equal(HttpStatusCode.BadRequest, unticked.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, ticked.StatusCode);
        Assert.Equal("accepted", await _world.StatusAsync(match));
        await using var c = await database.DataSource.OpenConnectionAsync();
        var consent = Assert.Single(await c.QueryAsync<(Guid EmployerId, long VacancyId, string Method, Guid RecordedBy)>(
            "SELECT employer_id, vacancy_id, method, recorded_by FROM consent WHERE seeker_id = @Id AND purpose = 'share_contact' AND withdrawn_at IS NULL",
            new { seeker.Id }));
        Assert.Equal((employer, vacancy, "by_case_worker", caseWorker.Id), consent);
    }

    [Fact]
    public async Task CaseWorker_RecordsDecline_WithReason_ThroughTheApi()
    {
        var agency = await _world.World.AgencyAsync();
        var seeker = await _world.SeekerAsync(agency);
        var match = await _world.MatchAsync(seeker.Id, (await _world.VacancyAsync()).VacancyId);
        var (client, _) = await _app.SignedInClientAsync(Roles.CaseWorker, agency);
        await JobMatchApp.UseApiTokenAsync(client);

        var list = await client.GetStringAsync("/api/casework/offers");
        var response = await client.PostAsJsonAsync($"/api/casework/offers/{match}/decline", new { reason = "hours" });

        Assert.Contains(seeker.Reference, list);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await using var c = await database.DataSource.OpenConnectionAsync();
        Assert.Equal(("declined", "hours"), await c.QuerySingleAsync<(string, string?)>("SELECT status, decline_reason FROM match WHERE id = @match", new { match }));
    }

    [Fact]
    public async Task CaseWorkerOfAnotherAgency_Gets404_AndDoesNotSeeTheOffer()
    {
        var seeker = await _world.SeekerAsync();
        var match = await _world.MatchAsync(seeker.Id, (await _world.VacancyAsync()).VacancyId);
        var (client, _) = await _app.SignedInClientAsync(Roles.CaseWorker, await _world.World.AgencyAsync());
        await JobMatchApp.UseApiTokenAsync(client);

        var page = await client.GetStringAsync("/casework/offers");
        var token = JobMatchApp.FormToken(page);
        var viaPage = await client.PostAsync("/casework/offers?handler=Accept",
            OffersTests.Form(token, ("matchId", match.ToString()), ("seekerAgreed", "true")));
        var viaApi = await client.PostAsJsonAsync($"/api/casework/offers/{match}/accept", new { seekerAgreed = true });
        var declineViaApi = await client.PostAsJsonAsync($"/api/casework/offers/{match}/decline", new { reason = "wage" });

        Assert.DoesNotContain(seeker.Reference, page);
        Assert.Equal(HttpStatusCode.NotFound, viaPage.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, viaApi.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, declineViaApi.StatusCode);
        Assert.Equal("invited", await _world.StatusAsync(match));
    }
}
