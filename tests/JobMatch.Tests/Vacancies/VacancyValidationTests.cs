using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JobMatch.Tests.Infrastructure;
using JobMatch.Vacancies;
using static JobMatch.Tests.Vacancies.BoardTestData;

namespace JobMatch.Tests.Vacancies;

/// <summary>Invalid vacancies: field-level messages on the form and in a 400 problem document; nothing stored.</summary>
[Collection(PostgresCollection.Name)]
public sealed class VacancyValidationTests(PostgresFixture database, SharedApp shared) : IClassFixture<SharedApp>
{
    private readonly JobMatchApp _app = shared.For(database); // one host for the class (SharedApp)

    public static TheoryData<string, string> Cases => new()
    {
        { "wage min above max", "wageMinBdt" },
        { "closing date in the past", "closingDate" },
        { "unknown skill code", "skills" },
        { "missing title", "titleEn" },
        { "missing sector", "sectorCode" },
        { "missing wage", "wageMinBdt" },
        { "missing skills", "skills" },
    };

    private static VacancyInput Invalid(string token, string @case) => Input(token, v =>
    {
        switch (@case)
        {
            case "wage min above max": (v.WageMinBdt, v.WageMaxBdt) = (20000, 15000); break;
            case "closing date in the past": v.ClosingDate = Today.AddDays(-1); break;
            case "unknown skill code": v.Skills!.Add(new VacancySkillInput { Code = "NOPE-999", MinLevel = 2, Required = true }); break;
            case "missing title": (v.TitleEn, v.TitleBn) = (null, " "); break;
            case "missing sector": v.SectorCode = null; break;
            case "missing wage": v.WageMinBdt = null; break;
            case "missing skills": v.Skills = []; break;
        }
    });

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task CreateApi_Answers400WithFieldErrorAndStoresNothing_WhenInvalid(string @case, string field)
    {
        var (client, employerId) = await EmployerClientAsync(_app);

        var response = await client.PostAsJsonAsync("/api/vacancies", Invalid(Token(), @case));
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out var messages), $"no error on {field}");
        Assert.Contains(messages.EnumerateArray(), m => !string.IsNullOrEmpty(m.GetString()));
        Assert.Equal(0, await ScalarAsync<long>(database.DataSource, "SELECT count(*) FROM vacancy WHERE employer_id = @employerId", new { employerId }));
    }

    [Fact]
    public async Task CreateApi_NamesTheUnknownSkillCode()
    {
        var (client, _) = await EmployerClientAsync(_app);
        var response = await client.PostAsJsonAsync("/api/vacancies", Invalid(Token(), "unknown skill code"));
        Assert.Contains("NOPE-999", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Form_ReshowsMessagesAndTypedValues_AndStoresNothing_WhenInvalid()
    {
        var (client, employerId) = await EmployerClientAsync(_app);
        var token = Token();
        var formToken = await JobMatchApp.FormTokenAsync(client, "/employer/vacancy");
        var fields = new List<KeyValuePair<string, string>>
        {
            new("__RequestVerificationToken", formToken), new("Input.TitleEn", $"Cook {token}"), new("Input.TitleBn", ""),
            new("Input.DescriptionEn", "Cooking rice and curry for 40 guests."), new("Input.Isco08", "5120"),
            new("Input.SectorCode", "hospitality"), new("Input.UpazilaCode", "teknaf"), new("Input.WageMinBdt", "20000"),
            new("Input.WageMaxBdt", "15000"), new("Input.Kind", "wage"), new("Input.Openings", "two"),
            new("Input.ClosingDate", Today.AddDays(-3).ToString("yyyy-MM-dd")),
            new("skill", "HOS-004"), new("level-HOS-004", "3"), new("must-HOS-004", "true"), new("skill", "NOPE-123"),
        };

        var response = await client.PostAsync("/employer/vacancy", new FormUrlEncodedContent(fields));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("The lowest wage is above the highest wage.", html);
        Assert.Contains("The closing date has passed.", html);
        Assert.Contains("Unknown skill code: NOPE-123", html);
        Assert.Contains("Write a whole number", html);
        Assert.Contains($"value=\"Cook {token}\"", html);
        Assert.Contains("value=\"two\"", html);
        Assert.Contains("value=\"20000\"", html);
        Assert.Matches("name=\"skill\" value=\"HOS-004\" id=\"skill-HOS-004\" checked", html);
        Assert.Equal(0, await ScalarAsync<long>(database.DataSource, "SELECT count(*) FROM vacancy WHERE employer_id = @employerId", new { employerId }));
    }

    [Fact]
    public async Task Form_CreatesDraft_WhenValid()
    {
        var (client, employerId) = await EmployerClientAsync(_app);
        var formToken = await JobMatchApp.FormTokenAsync(client, "/employer/vacancy");
        var fields = new List<KeyValuePair<string, string>>
        {
            new("__RequestVerificationToken", formToken), new("Input.TitleBn", "রাঁধুনি"), new("Input.DescriptionBn", "অতিথিদের জন্য রান্না।"),
            new("Input.Isco08", "৫১২০"), new("Input.SectorCode", "hospitality"), new("Input.UpazilaCode", "teknaf"),
            new("Input.WageMinBdt", "১২,০০০"), new("Input.Kind", "wage"), new("Input.Openings", "1"),
            new("Input.ClosingDate", Today.AddDays(5).ToString("yyyy-MM-dd")), new("Input.Facilities", "childcare"),
            new("skill", "HOS-004"), new("level-HOS-004", "3"),
        };

        var response = await client.PostAsync("/employer/vacancy", new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(12000, await ScalarAsync<int>(database.DataSource,
            "SELECT wage_min_bdt FROM vacancy WHERE employer_id = @employerId AND status = 'draft' AND facilities = '{childcare}' AND lat IS NOT NULL", new { employerId }));
        Assert.Equal(3, await ScalarAsync<int>(database.DataSource,
            "SELECT vs.min_level FROM vacancy_skill vs JOIN vacancy v ON v.id = vs.vacancy_id WHERE v.employer_id = @employerId AND NOT vs.required", new { employerId }));
    }
}
