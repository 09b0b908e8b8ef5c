using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Seekers;

namespace JobMatch.Tests.Training;

[Collection(PostgresCollection.Name)]
public sealed class TrainingProviderTests(PostgresFixture database, SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task Provider_SeesOwnTraineeNumberFirstNameAndSkills_NeverReferenceCaseFileOrContact()
    {
        var app = shared.For(database);
        var caseWorker = await SeekerApi.CaseWorkerAsync(app);
        var (provider, providerUser) = await app.SignedInClientAsync(Roles.TrainingProvider);
        await JobMatchApp.UseApiTokenAsync(provider);
        var c = SeekerApi.Canaries.New();
        var trainee = await SeekerApi.RegisterAsync(caseWorker, c);
        var other = await SeekerApi.RegisterAsync(caseWorker, SeekerApi.Canaries.New());
        await SeekerApi.WriteCaseFileAsync(caseWorker, trainee, c);
        Assert.Equal(HttpStatusCode.NoContent, (await caseWorker.PostAsJsonAsync($"/api/casework/seekers/{trainee}/enrolments",
            new { providerId = providerUser.OrganisationId, consentMethod = "in_person" })).StatusCode);
        var number = await SeekerApi.TraineeNumberAsync(database.DataSource, trainee);

        var put = await provider.PutAsJsonAsync($"/api/training/trainees/{number}/skills/HOS-001", new { level = 3, source = "certified", certifiedOn = "2025-01-15", monthsExperience = 4 });
        var list = await provider.GetStringAsync("/api/training/trainees");
        var one = await provider.GetStringAsync($"/api/training/trainees/{number}");

        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        Assert.Contains(number, list);
        Assert.DoesNotContain(trainee, list); // case work's reference stays in case work
        Assert.Equal(HttpStatusCode.NotFound, (await provider.GetAsync($"/api/training/trainees/{trainee}")).StatusCode);
        Assert.DoesNotContain(other, list);
        var body = JsonDocument.Parse(one).RootElement;
        Assert.Equal(c.Name.Split(' ')[0], body.GetProperty("firstName").GetString());
        Assert.Equal(["firstName", "skills", "traineeNumber"], body.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(3, body.GetProperty("skills")[0].GetProperty("level").GetInt32());
        foreach (var text in new[] { list, one })
        {
            Assert.DoesNotContain(c.Note, text);
            Assert.DoesNotContain(c.Referral, text);
            Assert.DoesNotContain("survivor", text);
            Assert.DoesNotContain(c.Phone[4..], text);
            Assert.DoesNotContain(c.Email, text);
            Assert.DoesNotContain(c.Address, text);
            Assert.DoesNotContain("Begum", text); // the family name: a provider gets the first name only
        }
    }

    [Fact]
    public async Task ProviderSkillRecord_Answers400OnSourceAndStoresNothing_WhenSelfDeclared_OnApiAndPage()
    {
        var app = shared.For(database);
        var caseWorker = await SeekerApi.CaseWorkerAsync(app);
        var (provider, providerUser) = await app.SignedInClientAsync(Roles.TrainingProvider);
        await JobMatchApp.UseApiTokenAsync(provider);
        var trainee = await SeekerApi.RegisterAsync(caseWorker, SeekerApi.Canaries.New());
        Assert.Equal(HttpStatusCode.NoContent, (await caseWorker.PostAsJsonAsync($"/api/casework/seekers/{trainee}/enrolments",
            new { providerId = providerUser.OrganisationId, consentMethod = "in_person" })).StatusCode);
        var number = await SeekerApi.TraineeNumberAsync(database.DataSource, trainee);

        var api = await provider.PutAsJsonAsync($"/api/training/trainees/{number}/skills/HOS-001", new { level = 3, source = "self_declared", monthsExperience = 4 });
        var token = await JobMatchApp.FormTokenAsync(provider, "/training");
        var page = await provider.PostAsync("/training?handler=Skill", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["trainee"] = number, ["skillCode"] = "HOS-001", ["level"] = "3",
            ["source"] = "self_declared", ["monthsExperience"] = "4",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);
        Assert.Equal("A training provider records assessed or certified skills.",
            (await api.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("source")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("A training provider records assessed or certified skills.", await page.Content.ReadAsStringAsync());
        Assert.Empty((await provider.GetFromJsonAsync<JsonElement>($"/api/training/trainees/{number}")).GetProperty("skills").EnumerateArray());
    }

    [Fact]
    public async Task Provider_GetsNotFound_ForNonTrainee()
    {
        var app = shared.For(database);
        var caseWorker = await SeekerApi.CaseWorkerAsync(app);
        var (provider, _) = await app.SignedInClientAsync(Roles.TrainingProvider);
        await JobMatchApp.UseApiTokenAsync(provider);
        var reference = await SeekerApi.RegisterAsync(caseWorker, SeekerApi.Canaries.New());

        Assert.Equal(HttpStatusCode.NotFound, (await provider.GetAsync($"/api/training/trainees/{reference}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await provider.PutAsJsonAsync($"/api/training/trainees/{reference}/skills/HOS-001",
            new { level = 2, source = "assessed", monthsExperience = 0 })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await provider.GetAsync($"/api/casework/seekers/{reference}")).StatusCode);
    }

    [Fact]
    public async Task CourseCompletion_WritesCertifiedSkillRecords()
    {
        var app = shared.For(database);
        var caseWorker = await SeekerApi.CaseWorkerAsync(app);
        var (provider, providerUser) = await app.SignedInClientAsync(Roles.TrainingProvider);
        await JobMatchApp.UseApiTokenAsync(provider);
        var reference = await SeekerApi.RegisterAsync(caseWorker, SeekerApi.Canaries.New());
        await caseWorker.PostAsJsonAsync($"/api/casework/seekers/{reference}/enrolments", new { providerId = providerUser.OrganisationId, consentMethod = "in_person" });
        var traineeNumber = await SeekerApi.TraineeNumberAsync(database.DataSource, reference);

        var course = await provider.PostAsJsonAsync("/api/training/courses", new { code = "HK-101", name = "Housekeeping", skills = new[] { new { skillCode = "HOS-002", level = 2 }, new { skillCode = "HOS-003", level = 1 } } });
        var done = await provider.PostAsJsonAsync("/api/training/courses/HK-101/completions", new { traineeNumber, completedOn = "2025-02-01", certified = true });

        Assert.Equal(HttpStatusCode.Created, course.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, done.StatusCode);
        var trainee = await provider.GetFromJsonAsync<JsonElement>($"/api/training/trainees/{traineeNumber}");
        var skills = trainee.GetProperty("skills").EnumerateArray().ToDictionary(s => s.GetProperty("skillCode").GetString()!, s => s);
        Assert.Equal(2, skills["HOS-002"].GetProperty("level").GetInt32());
        Assert.Equal("certified", skills["HOS-003"].GetProperty("source").GetString());
    }
}
