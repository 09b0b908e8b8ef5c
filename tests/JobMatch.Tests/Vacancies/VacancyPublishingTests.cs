using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JobMatch.Tests.Infrastructure;
using JobMatch.Vacancies;
using static JobMatch.Tests.Vacancies.BoardTestData;

namespace JobMatch.Tests.Vacancies;

/// <summary>Who may publish (issue 4 acceptance 1; SECURITY.md R9), and what a publish tells matching.</summary>
[Collection(PostgresCollection.Name)]
public sealed class VacancyPublishingTests(PostgresFixture database, SharedApp shared) : IClassFixture<SharedApp>
{
    private readonly JobMatchApp _app = shared.For(database); // one host for the class (SharedApp)

    [Theory]
    [InlineData("pending")]
    [InlineData("suspended")]
    public async Task Publish_Answers403AndStaysDraft_WhenEmployerIsNotVerified(string status)
    {
        var (client, _) = await EmployerClientAsync(_app, status);
        var id = await CreateDraftAsync(client, Input(Token()));

        var response = await client.PostAsync($"/api/vacancies/{id}/publish", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("draft", await ScalarAsync<string>(database.DataSource, "SELECT status FROM vacancy WHERE id = @id", new { id }));
        Assert.Equal(0, await ScalarAsync<long>(database.DataSource, "SELECT count(*) FROM vacancy_event WHERE vacancy_id = @id", new { id }));
    }

    [Fact]
    public async Task Publish_OpensVacancyAndRecordsPublishedEvent_WhenEmployerIsVerified()
    {
        var (client, employerId) = await EmployerClientAsync(_app);
        var id = await CreateDraftAsync(client, Input(Token()));

        var response = await client.PostAsync($"/api/vacancies/{id}/publish", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("open", await ScalarAsync<string>(database.DataSource, "SELECT status FROM vacancy WHERE id = @id AND published_at IS NOT NULL", new { id }));
        Assert.Equal(1, await ScalarAsync<long>(database.DataSource,
            "SELECT count(*) FROM vacancy_event WHERE vacancy_id = @id AND kind = 'published' AND employer_id = @employerId", new { id, employerId }));
    }

    [Fact]
    public async Task Publish_Answers403_WhenEmployerDeclaresRecruitmentFee()
    {
        var (client, _) = await EmployerClientAsync(_app, chargesFee: true);
        var id = await CreateDraftAsync(client, Input(Token()));

        var response = await client.PostAsync($"/api/vacancies/{id}/publish", null);
        var problem = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("recruitment fee", problem);
    }

    [Fact]
    public async Task Publish_Answers400OnWage_WhenWageIsBelowSectorFloor()
    {
        var (client, _) = await EmployerClientAsync(_app);
        var id = await CreateDraftAsync(client, Input(Token(), v => (v.WageMinBdt, v.WageMaxBdt) = (9000, 10000))); // garments floor 12,500

        var response = await client.PostAsync($"/api/vacancies/{id}/publish", null);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("12500", problem.RootElement.GetProperty("errors").GetProperty("wageMinBdt")[0].GetString());
        Assert.Equal("draft", await ScalarAsync<string>(database.DataSource, "SELECT status FROM vacancy WHERE id = @id", new { id }));
    }

    [Fact]
    public async Task EditOfOpenVacancy_Answers400OnWageAndKeepsTheWage_WhenWageGoesBelowSectorFloor_OnApiAndPage()
    {
        var (client, _) = await EmployerClientAsync(_app);
        var token = Token();
        var id = await CreateDraftAsync(client, Input(token));
        (await client.PostAsync($"/api/vacancies/{id}/publish", null)).EnsureSuccessStatusCode(); // version 2

        // garments floor 12,500; the same edit of a draft is allowed (the floor is checked when it is published)
        var api = await client.PutAsJsonAsync($"/api/vacancies/{id}", Input(token, v => (v.Version, v.WageMinBdt, v.WageMaxBdt) = (2, 9000, 10000)));
        using var problem = JsonDocument.Parse(await api.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);
        Assert.Contains("12500", problem.RootElement.GetProperty("errors").GetProperty("wageMinBdt")[0].GetString());

        var formToken = await JobMatchApp.FormTokenAsync(client, $"/employer/vacancy/{id}");
        var page = await client.PostAsync($"/employer/vacancy/{id}", new FormUrlEncodedContent(new List<KeyValuePair<string, string>>
        {
            new("__RequestVerificationToken", formToken), new("Input.Version", "2"), new("Input.TitleEn", $"Tailor {token}"),
            new("Input.DescriptionEn", "Sewing salwar kameez in a small shop."), new("Input.Isco08", "7531"), new("Input.SectorCode", "garments"),
            new("Input.UpazilaCode", "ukhia"), new("Input.WageMinBdt", "9000"), new("Input.Kind", "wage"), new("Input.Openings", "2"),
            new("Input.ClosingDate", Today.AddDays(9).ToString("yyyy-MM-dd")), new("skill", "GAR-001"), new("level-GAR-001", "2"),
        }));
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("below this sector&#x27;s minimum of 12500 taka", (await page.Content.ReadAsStringAsync()).Replace("'", "&#x27;"));

        Assert.Equal(13000, await ScalarAsync<int>(database.DataSource, "SELECT wage_min_bdt FROM vacancy WHERE id = @id AND version = 2", new { id }));
    }

    [Fact]
    public async Task PublishButton_ShowsWhyNot_WhenEmployerIsPending()
    {
        var (client, _) = await EmployerClientAsync(_app, "pending");
        var id = await CreateDraftAsync(client, Input(Token()));
        var token = await JobMatchApp.FormTokenAsync(client, "/employer");

        var response = await client.PostAsync($"/employer?handler=Publish&id={id}",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("has not been verified by an admin", html);
    }

    [Fact]
    public async Task Suspend_ClosesOpenVacanciesAndRecordsEvents_AtOnce()
    {
        var (employer, employerId) = await EmployerClientAsync(_app);
        var open1 = await CreateDraftAsync(employer, Input(Token()));
        var open2 = await CreateDraftAsync(employer, Input(Token()));
        var draft = await CreateDraftAsync(employer, Input(Token()));
        (await employer.PostAsync($"/api/vacancies/{open1}/publish", null)).EnsureSuccessStatusCode();
        (await employer.PostAsync($"/api/vacancies/{open2}/publish", null)).EnsureSuccessStatusCode();
        var (admin, adminUser) = await _app.SignedInClientAsync(JobMatch.Identity.Roles.Admin);
        await JobMatchApp.UseApiTokenAsync(admin);

        var response = await admin.PostAsJsonAsync($"/api/employers/{employerId}/suspend", new { reason = "Fake recruiter reported by a case worker" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var db = database.DataSource;
        Assert.Equal(2, await ScalarAsync<long>(db, "SELECT count(*) FROM vacancy WHERE employer_id = @employerId AND status = 'closed' AND closed_at IS NOT NULL", new { employerId }));
        Assert.Equal("draft", await ScalarAsync<string>(db, "SELECT status FROM vacancy WHERE id = @draft", new { draft }));
        Assert.Equal(1, await ScalarAsync<long>(db, "SELECT count(*) FROM vacancy_event WHERE employer_id = @employerId AND kind = 'employer_suspended'", new { employerId }));
        Assert.Equal(2, await ScalarAsync<long>(db, "SELECT count(*) FROM vacancy_event WHERE employer_id = @employerId AND kind = 'closed'", new { employerId }));
        Assert.Equal(1, await ScalarAsync<long>(db,
            "SELECT count(*) FROM audit_log WHERE action = 'employer_suspend' AND subject = @subject AND actor_user_id = @actor",
            new { subject = $"employer:{employerId}", actor = adminUser.Id }));
        var again = await employer.PostAsync($"/api/vacancies/{draft}/publish", null);
        Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
    }

    [Fact]
    public async Task CloseExpired_ClosesOnlyPastClosingDates_AndIsIdempotent()
    {
        var employerId = await CreateEmployerAsync(database.DataSource);
        var expired = await InsertVacancyAsync(database.DataSource, employerId, Token(), closing: Today.AddDays(-1));
        var lastDay = await InsertVacancyAsync(database.DataSource, employerId, Token(), closing: Today);
        var queries = _app.Services.GetRequiredService<VacancyQueries>();

        var first = await queries.CloseExpiredAsync(Today, CancellationToken.None);
        var second = await queries.CloseExpiredAsync(Today, CancellationToken.None);

        Assert.True(first >= 1);
        Assert.Equal(0, second);
        Assert.Equal("closed", await ScalarAsync<string>(database.DataSource, "SELECT status FROM vacancy WHERE id = @expired", new { expired }));
        Assert.Equal("open", await ScalarAsync<string>(database.DataSource, "SELECT status FROM vacancy WHERE id = @lastDay", new { lastDay }));
        Assert.Equal(1, await ScalarAsync<long>(database.DataSource, "SELECT count(*) FROM vacancy_event WHERE vacancy_id = @expired AND kind = 'closed'", new { expired }));
    }
}
