using System.Net;
using System.Net.Http.Json;
using Dapper;
using JobMatch.Consent;
using JobMatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace JobMatch.Tests.Matching;

/// <summary>The job seeker's offers: scope, accept (consent + move in one), decline, withdraw.</summary>
[Collection(PostgresCollection.Name)]
public sealed class OffersTests(PostgresFixture database, SharedApp shared) : IClassFixture<SharedApp>
{
    private readonly JobMatchApp _app = shared.For(database); // one host for the class (SharedApp)
    private readonly OffersWorld _world = new(shared.For(database));

    [Fact]
    public async Task MyOffers_ShowOnlyOwnInvitations_AndAnotherSeekersMatchIs404()
    {
        var me = await _world.SeekerAsync();
        var other = await _world.SeekerAsync();
        var (_, mine) = await _world.VacancyAsync("Machine operator " + Guid.NewGuid().ToString("N")[..6], null);
        var (_, theirs) = await _world.VacancyAsync("Cook " + Guid.NewGuid().ToString("N")[..6], null);
        var myMatch = await _world.MatchAsync(me.Id, mine);
        var theirMatch = await _world.MatchAsync(other.Id, theirs);
        var notYetAnOffer = await InsertShownMatchAsync(me.Id, (await _world.VacancyAsync()).VacancyId);

        var html = await me.Client.GetStringAsync("/me/offers");
        await JobMatchApp.UseApiTokenAsync(me.Client);

        Assert.Contains($"/me/offers/{myMatch}", html);
        Assert.DoesNotContain($"/me/offers/{theirMatch}", html);
        Assert.Equal(HttpStatusCode.NotFound, (await me.Client.GetAsync($"/me/offers/{theirMatch}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await me.Client.GetAsync($"/me/offers/{notYetAnOffer}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await me.Client.GetAsync($"/api/me/offers/{theirMatch}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await me.Client.PostAsync($"/api/me/offers/{theirMatch}/accept", null)).StatusCode);
        Assert.Equal("invited", await _world.StatusAsync(theirMatch));
        var list = await me.Client.GetFromJsonAsync<List<OfferJson>>("/api/me/offers");
        Assert.Equal([myMatch], list!.Select(o => o.MatchId));
    }

    [Fact]
    public async Task Accept_RecordsExactlyOneActiveShareContactConsent_AndMovesTheMatch()
    {
        var me = await _world.SeekerAsync();
        var (employer, vacancy) = await _world.VacancyAsync();
        var match = await _world.MatchAsync(me.Id, vacancy);

        var token = await JobMatchApp.FormTokenAsync(me.Client, $"/me/offers/{match}");
        var accepted = await me.Client.PostAsync($"/me/offers/{match}?handler=Accept", Form(token));
        await JobMatchApp.UseApiTokenAsync(me.Client);
        var again = await me.Client.PostAsync($"/api/me/offers/{match}/accept", null);

        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("accepted", await _world.StatusAsync(match));
        await using var c = await database.DataSource.OpenConnectionAsync();
        var consents = (await c.QueryAsync<(Guid EmployerId, long VacancyId, string Method, Guid RecordedBy)>(
            """
            SELECT employer_id, vacancy_id, method, recorded_by FROM consent
            WHERE seeker_id = @Id AND purpose = 'share_contact' AND withdrawn_at IS NULL
            """, new { me.Id })).ToList();
        var consent = Assert.Single(consents);
        Assert.Equal((employer, vacancy, "online", me.UserId), consent);
        var actor = await c.ExecuteScalarAsync<Guid>("SELECT actor_user_id FROM match_event WHERE match_id = @match AND to_status = 'accepted'", new { match });
        Assert.Equal(me.UserId, actor);
        Assert.True(await Consents().HasContactConsentAsync(me.Id, employer, vacancy, CancellationToken.None));
    }

    [Fact]
    public async Task Accept_IsRefused_WhenTheVacancyClosed_AndRecordsNoConsent()
    {
        var me = await _world.SeekerAsync();
        var (employer, vacancy) = await _world.VacancyAsync();
        var match = await _world.MatchAsync(me.Id, vacancy);
        await using (var c = await database.DataSource.OpenConnectionAsync())
        {
            await c.ExecuteAsync("UPDATE vacancy SET status = 'closed', closed_at = now() WHERE id = @vacancy", new { vacancy });
        }
        await JobMatchApp.UseApiTokenAsync(me.Client);

        var response = await me.Client.PostAsync($"/api/me/offers/{match}/accept", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("invited", await _world.StatusAsync(match));
        Assert.False(await Consents().HasContactConsentAsync(me.Id, employer, vacancy, CancellationToken.None));
    }

    [Fact]
    public async Task Decline_RecordsTheReason_AndRefusesAnUnknownOne()
    {
        var me = await _world.SeekerAsync();
        var match = await _world.MatchAsync(me.Id, (await _world.VacancyAsync()).VacancyId);
        await JobMatchApp.UseApiTokenAsync(me.Client);

        var unknown = await me.Client.PostAsJsonAsync($"/api/me/offers/{match}/decline", new { reason = "my boss was cruel" });
        var declined = await me.Client.PostAsJsonAsync($"/api/me/offers/{match}/decline", new { reason = "distance" });

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, declined.StatusCode);
        await using var c = await database.DataSource.OpenConnectionAsync();
        var row = await c.QuerySingleAsync<(string Status, string? Reason)>("SELECT status, decline_reason FROM match WHERE id = @match", new { match });
        Assert.Equal(("declined", "distance"), row);
        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT count(*) FROM consent WHERE seeker_id = @Id AND purpose = 'share_contact'", new { me.Id }));
    }

    [Fact]
    public async Task Decline_WithoutReason_FromThePage_Works()
    {
        var me = await _world.SeekerAsync();
        var match = await _world.MatchAsync(me.Id, (await _world.VacancyAsync()).VacancyId);
        var token = await JobMatchApp.FormTokenAsync(me.Client, $"/me/offers/{match}");

        var response = await me.Client.PostAsync($"/me/offers/{match}?handler=Decline", Form(token, ("reason", "")));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("declined", await _world.StatusAsync(match));
    }

    [Fact]
    public async Task Withdraw_EndsTheContactConsentAtOnce_AndTheApplication()
    {
        var me = await _world.SeekerAsync();
        var (employer, vacancy) = await _world.VacancyAsync();
        var match = await _world.MatchAsync(me.Id, vacancy);
        await JobMatchApp.UseApiTokenAsync(me.Client);
        Assert.Equal(HttpStatusCode.NoContent, (await me.Client.PostAsync($"/api/me/offers/{match}/accept", null)).StatusCode);
        Assert.True(await Consents().HasContactConsentAsync(me.Id, employer, vacancy, CancellationToken.None));

        var token = await JobMatchApp.FormTokenAsync(me.Client, $"/me/offers/{match}");
        var withdrawn = await me.Client.PostAsync($"/me/offers/{match}?handler=Withdraw", Form(token));

        Assert.Equal(HttpStatusCode.Redirect, withdrawn.StatusCode);
        Assert.False(await Consents().HasContactConsentAsync(me.Id, employer, vacancy, CancellationToken.None));
        Assert.Equal("withdrawn", await _world.StatusAsync(match));
        Assert.Equal(HttpStatusCode.Conflict, (await me.Client.PostAsync($"/api/me/offers/{match}/withdraw", null)).StatusCode);
    }

    [Fact]
    public async Task Withdraw_AfterAHire_EndsTheConsent_ButKeepsTheOutcome()
    {
        var me = await _world.SeekerAsync();
        var (employer, vacancy) = await _world.VacancyAsync();
        var match = await _world.MatchAsync(me.Id, vacancy);
        await JobMatchApp.UseApiTokenAsync(me.Client);
        await me.Client.PostAsync($"/api/me/offers/{match}/accept", null);
        await using (var c = await database.DataSource.OpenConnectionAsync())
        {
            await c.ExecuteAsync("UPDATE match SET status = 'hired' WHERE id = @match", new { match });
        }

        var response = await me.Client.PostAsync($"/api/me/offers/{match}/withdraw", null);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.False(await Consents().HasContactConsentAsync(me.Id, employer, vacancy, CancellationToken.None));
        Assert.Equal("hired", await _world.StatusAsync(match));
    }

    private ConsentQueries Consents() => _app.Services.GetRequiredService<ConsentQueries>();

    private async Task<long> InsertShownMatchAsync(long seekerId, long vacancyId)
    {
        await using var c = await database.DataSource.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<long>(
            "INSERT INTO match (vacancy_id, seeker_id, status, rank, score, ranker, explanation) VALUES (@vacancyId, @seekerId, 'shown', 1, 1, 'rule', '{}') RETURNING id",
            new { vacancyId, seekerId });
    }

    internal static FormUrlEncodedContent Form(string token, params (string Key, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)).Append(KeyValuePair.Create("__RequestVerificationToken", token)));

    private sealed record OfferJson(long MatchId, string Status, string Title);
}
