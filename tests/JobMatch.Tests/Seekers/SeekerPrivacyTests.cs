using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Seekers;

[Collection(PostgresCollection.Name)]
public sealed class SeekerPrivacyTests(PostgresFixture database, SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task DatabaseDump_ContainsNoIdentityOrCaseCanary_AfterRegistration()
    {
        var app = shared.For(database);
        var client = await SeekerApi.CaseWorkerAsync(app);
        var canaries = new[] { SeekerApi.Canaries.New(), SeekerApi.Canaries.New() };
        foreach (var c in canaries)
        {
            var reference = await SeekerApi.RegisterAsync(client, c);
            await SeekerApi.WriteCaseFileAsync(client, reference, c);
            // The case worker can read it all back (so the values were really stored, encrypted).
            var detail = await client.GetStringAsync($"/api/casework/seekers/{reference}");
            Assert.Contains(c.Name, detail);
            Assert.Contains(c.Note, await client.GetStringAsync($"/api/casework/seekers/{reference}/casefile"));
        }

        var hits = await DatabaseScan.FindAsync(database.DataSource, canaries.SelectMany(c => c.All).Append("trafficking_survivor"));

        Assert.Empty(hits);
    }

    [Fact]
    public async Task Seeker_IsNotFound_ForCaseWorkerOfAnotherAgency()
    {
        var app = shared.For(database);
        var agencyA = await SeekerApi.CaseWorkerAsync(app);
        var agencyB = await SeekerApi.CaseWorkerAsync(app);
        var reference = await SeekerApi.RegisterAsync(agencyA, SeekerApi.Canaries.New());

        Assert.Equal(HttpStatusCode.NotFound, (await agencyB.GetAsync($"/api/casework/seekers/{reference}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agencyB.GetAsync($"/api/casework/seekers/{reference}/casefile")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agencyB.DeleteAsync($"/api/casework/seekers/{reference}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agencyB.PutAsJsonAsync($"/api/casework/seekers/{reference}/profile", new { version = 1, profile = new { wants = "any" } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await agencyA.GetAsync($"/api/casework/seekers/{reference}")).StatusCode);
    }

    [Fact]
    public async Task RegisteringKnownPhone_WarnsWithReference_OnlyWithinOwnAgency()
    {
        var app = shared.For(database);
        var agencyA = await SeekerApi.CaseWorkerAsync(app);
        var agencyB = await SeekerApi.CaseWorkerAsync(app);
        var c = SeekerApi.Canaries.New();
        var reference = await SeekerApi.RegisterAsync(agencyA, c);
        var local = "0" + c.Phone[4..]; // the same number written the local way

        var again = await agencyA.PostAsJsonAsync("/api/casework/seekers", new { fullName = "Someone Else", phone = local });
        var confirmedHere = await agencyA.PostAsJsonAsync("/api/casework/seekers", new { fullName = "Someone Else", phone = local, confirmDuplicatePhone = true });

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(reference, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("existingReference").GetString());
        Assert.Equal(HttpStatusCode.Created, confirmedHere.StatusCode); // inside one agency, as before
    }

    [Fact]
    public async Task RegisteringAnotherAgencysPhone_AnswersNeutrally_RaisesAnAdminCheck_AndIsRateLimited()
    {
        var app = shared.For(database);
        var agencyA = await SeekerApi.CaseWorkerAsync(app);
        var agencyB = await SeekerApi.CaseWorkerAsync(app);
        var c = SeekerApi.Canaries.New();
        var reference = await SeekerApi.RegisterAsync(agencyA, c);
        var local = "0" + c.Phone[4..];
        await using var db = await database.DataSource.OpenConnectionAsync();
        var checksBefore = await db.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM duplicate_check d JOIN seeker s ON s.id = d.existing_seeker_id WHERE s.reference = @reference", new { reference });

        var elsewhere = await agencyB.PostAsJsonAsync("/api/casework/seekers", new { fullName = "Someone Else", phone = local });
        var confirmed = await agencyB.PostAsJsonAsync("/api/casework/seekers", new { fullName = "Someone Else", phone = local, confirmDuplicatePhone = true });

        foreach (var response in new[] { elsewhere, confirmed })
        {
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode); // confirming cannot register past another agency's seeker
            var body = await response.Content.ReadAsStringAsync();
            Assert.Contains("We could not register these contact details; ask the programme admin to check for a duplicate", body);
            Assert.DoesNotContain(reference, body);
            Assert.DoesNotContain("already registered", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("existingReference", body);
        }
        Assert.Equal(checksBefore + 2, await db.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM duplicate_check d JOIN seeker s ON s.id = d.existing_seeker_id WHERE s.reference = @reference", new { reference }));
        var (admin, _) = await app.SignedInClientAsync(JobMatch.Identity.Roles.Admin);
        Assert.Contains(reference, await admin.GetStringAsync("/admin"));

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < JobMatch.Seekers.SeekerRegistration.ChecksPerHour; i++)
        {
            answers.Add((await agencyB.PostAsJsonAsync("/api/casework/seekers", new { fullName = "Someone Else", phone = local })).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Conflict, answers[JobMatch.Seekers.SeekerRegistration.ChecksPerHour - 3]);
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[^1]);
    }

    [Fact]
    public async Task RegisteringKnownEmail_WarnsWithReference_OnlyWithinOwnAgency()
    {
        var app = shared.For(database);
        var agencyA = await SeekerApi.CaseWorkerAsync(app);
        var c = SeekerApi.Canaries.New();
        var reference = await SeekerApi.RegisterAsync(agencyA, c);
        var written = "  " + c.Email.ToUpperInvariant() + " "; // the same address written another way

        var again = await agencyA.PostAsJsonAsync("/api/casework/seekers", new { fullName = "Someone Else", email = written });
        var confirmedHere = await agencyA.PostAsJsonAsync("/api/casework/seekers", new { fullName = "Someone Else", email = written, confirmDuplicateEmail = true });

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var problem = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("duplicate_email", problem.GetProperty("type").GetString());
        Assert.Equal(reference, problem.GetProperty("existingReference").GetString());
        Assert.Equal(HttpStatusCode.Created, confirmedHere.StatusCode); // inside one agency, as for phones
    }

    /// <summary>
    /// Another agency's seeker's e-mail answers exactly as another agency's phone does (same status, type and title), so
    /// the answer says neither where nor by which detail the person is known; the admin gets the task.
    /// </summary>
    [Fact]
    public async Task RegisteringAnotherAgencysEmail_AnswersAsForAPhone_AndRaisesAnAdminCheck()
    {
        var app = shared.For(database);
        var agencyA = await SeekerApi.CaseWorkerAsync(app);
        var agencyB = await SeekerApi.CaseWorkerAsync(app);
        var c = SeekerApi.Canaries.New();
        var reference = await SeekerApi.RegisterAsync(agencyA, c);
        await using var db = await database.DataSource.OpenConnectionAsync();
        const string Checks = "SELECT count(*) FROM duplicate_check d JOIN seeker s ON s.id = d.existing_seeker_id WHERE s.reference = @reference";
        var checksBefore = await db.ExecuteScalarAsync<int>(Checks, new { reference });

        var byPhone = await agencyB.PostAsJsonAsync("/api/casework/seekers", new { fullName = "Someone Else", phone = c.Phone });
        var byEmail = await agencyB.PostAsJsonAsync("/api/casework/seekers", new { fullName = "Someone Else", email = c.Email.ToUpperInvariant() });
        var confirmed = await agencyB.PostAsJsonAsync("/api/casework/seekers", new { fullName = "Someone Else", email = c.Email, confirmDuplicateEmail = true });

        var phoneProblem = await byPhone.Content.ReadFromJsonAsync<JsonElement>();
        foreach (var response in new[] { byEmail, confirmed })
        {
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            var problem = JsonDocument.Parse(body).RootElement;
            Assert.Equal(phoneProblem.GetProperty("type").GetString(), problem.GetProperty("type").GetString());
            Assert.Equal(phoneProblem.GetProperty("title").GetString(), problem.GetProperty("title").GetString());
            Assert.Contains("We could not register these contact details; ask the programme admin to check for a duplicate", body);
            Assert.DoesNotContain(reference, body);
            Assert.DoesNotContain("existingReference", body);
        }
        Assert.Equal(checksBefore + 3, await db.ExecuteScalarAsync<int>(Checks, new { reference }));
    }

    /// <summary>
    /// Identities written before migration 1310 have no e-mail index; the app fills it when it starts, so their
    /// addresses are found from then on (here: a row whose index is cleared, then a new start).
    /// </summary>
    [Fact]
    public async Task EmailIndex_IsFilledAtStart_ForIdentitiesWrittenBeforeTheIndex()
    {
        string reference;
        var c = SeekerApi.Canaries.New();
        await using (var first = new JobMatchApp(database))
        {
            reference = await SeekerApi.RegisterAsync(await SeekerApi.CaseWorkerAsync(first), c);
        }
        await using (var db = await database.DataSource.OpenConnectionAsync())
        {
            Assert.Equal(1, await db.ExecuteAsync(
                "UPDATE seeker_identity SET email_index = NULL WHERE seeker_id = (SELECT id FROM seeker WHERE reference = @reference)", new { reference }));
        }

        await using var app = new JobMatchApp(database);
        var agencyB = await SeekerApi.CaseWorkerAsync(app);
        var byEmail = await agencyB.PostAsJsonAsync("/api/casework/seekers", new { fullName = "Someone Else", email = c.Email });

        Assert.Equal(HttpStatusCode.Conflict, byEmail.StatusCode);
        Assert.Equal("needs_admin_check", (await byEmail.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
    }

    [Fact]
    public async Task ReadingIdentity_IsListedInAccessLog()
    {
        var app = shared.For(database);
        var client = await SeekerApi.CaseWorkerAsync(app);
        var reference = await SeekerApi.RegisterAsync(client, SeekerApi.Canaries.New());

        await client.GetStringAsync($"/api/casework/seekers/{reference}");
        var log = await client.GetFromJsonAsync<JsonElement>($"/api/casework/seekers/{reference}/access-log");

        var actions = log.EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Contains("seeker_identity_read", actions);
        Assert.Contains("seeker_registered", actions);
        Assert.All(log.EnumerateArray(), e => Assert.Equal("Test case_worker", e.GetProperty("actorName").GetString()));
    }

    [Fact]
    public async Task ProfileEdits_FromSameVersion_OneSucceedsOneConflicts()
    {
        var app = shared.For(database);
        var client = await SeekerApi.CaseWorkerAsync(app);
        var reference = await SeekerApi.RegisterAsync(client, SeekerApi.Canaries.New());
        var version = await SeekerApi.VersionAsync(client, reference);

        var edits = await Task.WhenAll(
            client.PutAsJsonAsync($"/api/casework/seekers/{reference}/profile", new { version, profile = new { wants = "self", expectedWageBdt = 7000 } }),
            client.PutAsJsonAsync($"/api/casework/seekers/{reference}/profile", new { version, profile = new { wants = "wage", expectedWageBdt = 9000 } }));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], edits.Select(e => e.StatusCode).Order());
        var winner = edits.Single(e => e.StatusCode == HttpStatusCode.OK) == edits[0] ? "self" : "wage";
        var stored = await client.GetFromJsonAsync<JsonElement>($"/api/casework/seekers/{reference}");
        Assert.Equal(winner, stored.GetProperty("profile").GetProperty("wants").GetString());
        Assert.Equal(version + 1, stored.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task CaseWorkApi_IsForbidden_ToEmployersAndProviders()
    {
        var app = shared.For(database);
        var (employer, _) = await app.SignedInClientAsync(Roles.Employer);
        var (provider, _) = await app.SignedInClientAsync(Roles.TrainingProvider);

        Assert.Equal(HttpStatusCode.Forbidden, (await employer.GetAsync("/api/casework/seekers")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await provider.GetAsync("/api/casework/seekers")).StatusCode);
    }
}
