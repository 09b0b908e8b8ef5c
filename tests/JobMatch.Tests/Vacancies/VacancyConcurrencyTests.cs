using System.Net;
using System.Net.Http.Json;
using JobMatch.Tests.Infrastructure;
using static JobMatch.Tests.Vacancies.BoardTestData;

namespace JobMatch.Tests.Vacancies;

/// <summary>Optimistic concurrency on vacancy edits: a stale edit gets 409 / a conflict message, never a silent overwrite (R28).</summary>
[Collection(PostgresCollection.Name)]
public sealed class VacancyConcurrencyTests(PostgresFixture database, SharedApp shared) : IClassFixture<SharedApp>
{
    private readonly JobMatchApp _app = shared.For(database); // one host for the class (SharedApp)

    [Fact]
    public async Task Update_Answers409AndKeepsWinner_WhenVersionIsStale()
    {
        var (client, _) = await EmployerClientAsync(_app);
        var token = Token();
        var id = await CreateDraftAsync(client, Input(token));

        var first = await client.PutAsJsonAsync($"/api/vacancies/{id}", Input(token, v => (v.Version, v.Openings) = (1, 5)));
        var second = await client.PutAsJsonAsync($"/api/vacancies/{id}", Input(token, v => (v.Version, v.Openings) = (1, 9)));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal(5, await ScalarAsync<int>(database.DataSource, "SELECT openings FROM vacancy WHERE id = @id AND version = 2", new { id }));
    }

    [Fact]
    public async Task Update_Answers409_WhenVacancyWasPublishedSinceItWasRead()
    {
        var (client, _) = await EmployerClientAsync(_app);
        var token = Token();
        var id = await CreateDraftAsync(client, Input(token));
        (await client.PostAsync($"/api/vacancies/{id}/publish", null)).EnsureSuccessStatusCode();

        var stale = await client.PutAsJsonAsync($"/api/vacancies/{id}", Input(token, v => v.Version = 1));

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
    }

    [Fact]
    public async Task EditPage_ShowsConflictAndKeepsTypedText_WhenVersionIsStale()
    {
        var (client, _) = await EmployerClientAsync(_app);
        var token = Token();
        var id = await CreateDraftAsync(client, Input(token));
        (await client.PutAsJsonAsync($"/api/vacancies/{id}", Input(token, v => (v.Version, v.Openings) = (1, 7)))).EnsureSuccessStatusCode();
        var formToken = await JobMatchApp.FormTokenAsync(client, $"/employer/vacancy/{id}");

        var response = await client.PostAsync($"/employer/vacancy/{id}", new FormUrlEncodedContent(new List<KeyValuePair<string, string>>
        {
            new("__RequestVerificationToken", formToken), new("Input.Version", "1"), new("Input.TitleEn", $"Mine {token}"),
            new("Input.DescriptionEn", "Changed in a second tab."), new("Input.Isco08", "7531"), new("Input.SectorCode", "garments"),
            new("Input.UpazilaCode", "ukhia"), new("Input.WageMinBdt", "14000"), new("Input.Kind", "wage"), new("Input.Openings", "3"),
            new("Input.ClosingDate", Today.AddDays(9).ToString("yyyy-MM-dd")), new("skill", "GAR-001"), new("level-GAR-001", "2"),
        }));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("Someone changed this since you opened it", html);
        Assert.Contains($"value=\"Mine {token}\"", html);
        Assert.Equal(7, await ScalarAsync<int>(database.DataSource, "SELECT openings FROM vacancy WHERE id = @id", new { id }));
    }

    [Fact]
    public async Task UpdateOfOpenVacancy_RecordsSkillsChangedEvent_OnlyWhenSkillsChange()
    {
        var (client, _) = await EmployerClientAsync(_app);
        var token = Token();
        var id = await CreateDraftAsync(client, Input(token));
        (await client.PostAsync($"/api/vacancies/{id}/publish", null)).EnsureSuccessStatusCode();

        (await client.PutAsJsonAsync($"/api/vacancies/{id}", Input(token, v => (v.Version, v.Openings) = (2, 4)))).EnsureSuccessStatusCode();
        var afterTextEdit = await ScalarAsync<long>(database.DataSource, "SELECT count(*) FROM vacancy_event WHERE vacancy_id = @id AND kind = 'skills_changed'", new { id });
        (await client.PutAsJsonAsync($"/api/vacancies/{id}", Input(token, v => { v.Version = 3; v.Skills![0].MinLevel = 3; }))).EnsureSuccessStatusCode();
        var afterSkillEdit = await ScalarAsync<long>(database.DataSource, "SELECT count(*) FROM vacancy_event WHERE vacancy_id = @id AND kind = 'skills_changed'", new { id });

        Assert.Equal(0, afterTextEdit);
        Assert.Equal(1, afterSkillEdit);
    }
}
