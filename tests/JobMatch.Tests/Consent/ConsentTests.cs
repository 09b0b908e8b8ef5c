using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using JobMatch.Consent;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Seekers;

namespace JobMatch.Tests.Consent;

[Collection(PostgresCollection.Name)]
public sealed class ConsentTests(PostgresFixture database, SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task WithdrawingMatchingConsent_RemovesSeekerFromCandidates_OnNextRequest()
    {
        var app = shared.For(database);
        var client = await SeekerApi.CaseWorkerAsync(app);
        var reference = await SeekerApi.RegisterAsync(client, SeekerApi.Canaries.New());
        var seekerId = await SeekerIdAsync(reference);
        var consents = app.Services.GetRequiredService<ConsentQueries>();
        Assert.True(await consents.IsMatchableAsync(seekerId, CancellationToken.None));
        Assert.True(await InCandidateQueryAsync(seekerId));

        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/casework/seekers/{reference}");
        var consentId = detail.GetProperty("consents").EnumerateArray().Single(c => c.GetProperty("purpose").GetString() == "matching").GetProperty("id").GetInt64();
        var withdraw = await client.PostAsync($"/api/casework/seekers/{reference}/consents/{consentId}/withdraw", null);

        Assert.Equal(HttpStatusCode.NoContent, withdraw.StatusCode);
        Assert.False(await consents.IsMatchableAsync(seekerId, CancellationToken.None));
        Assert.False(await InCandidateQueryAsync(seekerId));
    }

    [Fact]
    public async Task SeekerWithoutMatchingConsent_IsNeverCandidate_UntilGranted()
    {
        var app = shared.For(database);
        var client = await SeekerApi.CaseWorkerAsync(app);
        var reference = await SeekerApi.RegisterAsync(client, SeekerApi.Canaries.New(), consent: false);
        var seekerId = await SeekerIdAsync(reference);
        Assert.False(await InCandidateQueryAsync(seekerId));

        var grant = await client.PostAsJsonAsync($"/api/casework/seekers/{reference}/consents", new { purpose = "matching", method = "by_phone" });
        var again = await client.PostAsJsonAsync($"/api/casework/seekers/{reference}/consents", new { purpose = "matching", method = "by_phone" });

        Assert.Equal(HttpStatusCode.OK, grant.StatusCode);
        Assert.Equal((await grant.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64(),
            (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());
        Assert.True(await InCandidateQueryAsync(seekerId));
    }

    [Fact]
    public async Task ShareContactConsent_NeedsOneEmployerAndOneVacancy()
    {
        var app = shared.For(database);
        var client = await SeekerApi.CaseWorkerAsync(app);
        var reference = await SeekerApi.RegisterAsync(client, SeekerApi.Canaries.New());
        var employer = await app.CreateOrganisationAsync("employer");

        var missing = await client.PostAsJsonAsync($"/api/casework/seekers/{reference}/consents", new { purpose = "share_contact", method = "in_person", employerId = employer });
        var complete = await client.PostAsJsonAsync($"/api/casework/seekers/{reference}/consents", new { purpose = "share_contact", method = "in_person", employerId = employer, vacancyId = 42 });

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(HttpStatusCode.OK, complete.StatusCode);
        var consents = app.Services.GetRequiredService<ConsentQueries>();
        var seekerId = await SeekerIdAsync(reference);
        Assert.True(await consents.HasContactConsentAsync(seekerId, employer, 42, CancellationToken.None));
        Assert.False(await consents.HasContactConsentAsync(seekerId, employer, 43, CancellationToken.None));
    }

    /// <summary>The shape of matching's candidate generation: the view joined to the skills array.</summary>
    private async Task<bool> InCandidateQueryAsync(long seekerId)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM matchable_seeker m JOIN seeker s ON s.id = m.seeker_id WHERE s.id = @seekerId)", new { seekerId });
    }

    private async Task<long> SeekerIdAsync(string reference)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT id FROM seeker WHERE reference = @reference", new { reference });
    }
}
