using System.Net;
using System.Text;
using System.Text.Json;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;
using static JobMatch.Tests.Vacancies.BoardTestData;

namespace JobMatch.Tests.Vacancies;

/// <summary>Bulk vacancy import by CSV: every bad row reported by line and reason; all rows or nothing.</summary>
[Collection(PostgresCollection.Name)]
public sealed class VacancyImportTests(PostgresFixture database, SharedApp shared) : IClassFixture<SharedApp>
{
    private const string Header = "employer,title_en,title_bn,description_en,description_bn,isco08,sector,upazila,lat,lon,wage_min_bdt,wage_max_bdt,kind,openings,hours,shifts,facilities,skills,min_education_level,closing_date,publish";
    private readonly JobMatchApp _app = shared.For(database); // one host for the class (SharedApp)

    private static string Row(string employer, string title, string wageMin = "13000", string skills = "GAR-001:2:required", string closing = "", string publish = "no", string sector = "garments") =>
        $"{employer},{title},,\"Sewing, cutting and ironing\",,7531,{sector},ukhia,,,{wageMin},,wage,2,,,women_friendly,{skills},,{(closing == "" ? Today.AddDays(15).ToString("yyyy-MM-dd") : closing)},{publish}";

    [Fact]
    public async Task Import_ReportsEveryBadRowByLine_AndCommitsNothing()
    {
        var token = Token();
        var number = "IMP-" + token;
        var employerId = await CreateEmployerAsync(database.DataSource, membershipNumber: number);
        var pending = await CreateEmployerAsync(database.DataSource, "pending");
        var csv = string.Join("\n",
            Header,
            Row(number, $"Good {token}"),
            Row(number, $"Bad wage {token}", wageMin: "lots"),
            Row(number, $"Bad skill {token}", skills: "NOPE-1:2:required"),
            Row("NO-SUCH-MEMBER", $"Unknown {token}"),
            Row(number, $"Past {token}", closing: Today.AddDays(-2).ToString("yyyy-MM-dd")),
            Row(pending.ToString(), $"Unverified {token}", publish: "yes"),
            Row(number, $"Good {token}"),
            Row(number, $"Below floor {token}", wageMin: "9000", publish: "yes"));
        var admin = await AdminAsync();

        var response = await admin.PostAsync("/api/vacancy-imports?commit=true", new StringContent(csv, Encoding.UTF8, "text/csv"));
        using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = report.RootElement.GetProperty("errors").EnumerateArray()
            .Select(e => (Line: e.GetProperty("line").GetInt32(), Column: e.GetProperty("column").GetString())).ToList();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.False(report.RootElement.GetProperty("committed").GetBoolean());
        Assert.Contains((3, "wage_min_bdt"), errors);
        Assert.Contains((4, "skills"), errors);
        Assert.Contains((5, "employer"), errors);
        Assert.Contains((6, "closing_date"), errors);
        Assert.Contains((7, "publish"), errors);
        Assert.Contains((8, ""), errors);  // duplicate of line 2
        Assert.Contains((9, "wage_min_bdt"), errors);
        Assert.DoesNotContain(errors, e => e.Line == 2);
        Assert.Contains("Unknown skill code: NOPE-1", report.RootElement.ToString());
        Assert.Equal(0, await ScalarAsync<long>(database.DataSource, "SELECT count(*) FROM vacancy WHERE employer_id = @employerId", new { employerId }));
    }

    [Fact]
    public async Task Import_ListsEveryProblemOfARow_WithItsColumnAndTheValueFound()
    {
        var token = Token();
        var number = "IMP-" + token;
        await CreateEmployerAsync(database.DataSource, membershipNumber: number);
        // One row, many problems: a longitude, a wage and openings that are not numbers, three bad skills in one cell
        // (a level that is not a number and two unknown codes), an impossible date and a "publish" that is neither.
        var csv = Header + "\n" +
            $"{number},Many problems {token},,Sewing,,7531,garments,ukhia,21.2,east,lots,,wage,many,,,women_friendly,NOPE-1:2:required;GAR-001:x;NOPE-2,,2030-13-45,maybe";
        var admin = await AdminAsync();

        var response = await admin.PostAsync("/api/vacancy-imports", new StringContent(csv, Encoding.UTF8, "text/csv"));
        using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = report.RootElement.GetProperty("errors").EnumerateArray()
            .Select(e => (Line: e.GetProperty("line").GetInt32(), Column: e.GetProperty("column").GetString(), Value: e.GetProperty("value").GetString(),
                Message: e.GetProperty("message").GetString())).ToList();

        Assert.All(errors, e => Assert.Equal(2, e.Line));
        Assert.Contains((2, "lon", "east"), errors.Select(e => (e.Line, e.Column, e.Value)));
        Assert.Contains((2, "wage_min_bdt", "lots"), errors.Select(e => (e.Line, e.Column, e.Value)));
        Assert.Contains((2, "openings", "many"), errors.Select(e => (e.Line, e.Column, e.Value)));
        Assert.Contains((2, "closing_date", "2030-13-45"), errors.Select(e => (e.Line, e.Column, e.Value)));
        Assert.Contains((2, "publish", "maybe"), errors.Select(e => (e.Line, e.Column, e.Value)));
        var skills = errors.Where(e => e.Column == "skills").ToList();
        Assert.Equal(3, skills.Count); // every bad skill, not only the first problem found in the cell
        Assert.All(skills, e => Assert.Equal("NOPE-1:2:required;GAR-001:x;NOPE-2", e.Value));
        Assert.Contains(skills, e => e.Message!.Contains("NOPE-1", StringComparison.Ordinal));
        Assert.Contains(skills, e => e.Message!.Contains("NOPE-2", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Column == "lat"); // half a location follows from the bad longitude: not a second problem
        Assert.Equal(8, errors.Count);
    }

    [Fact]
    public async Task Import_CommitsAllRowsAndPublishes_WhenFileIsClean()
    {
        var token = Token();
        var number = "IMP-" + token;
        var employerId = await CreateEmployerAsync(database.DataSource, membershipNumber: number);
        var csv = string.Join("\r\n", Header, Row(number, $"One {token}", publish: "yes"), Row(employerId.ToString(), $"Two {token}"), "");
        var admin = await AdminAsync();

        var preview = await admin.PostAsync("/api/vacancy-imports", new StringContent(csv, Encoding.UTF8, "text/csv"));
        var stored = await ScalarAsync<long>(database.DataSource, "SELECT count(*) FROM vacancy WHERE employer_id = @employerId", new { employerId });
        var commit = await admin.PostAsync("/api/vacancy-imports?commit=true", new StringContent(csv, Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Equal(0, stored);
        Assert.Equal(HttpStatusCode.OK, commit.StatusCode);
        Assert.Equal(1, await ScalarAsync<long>(database.DataSource, "SELECT count(*) FROM vacancy WHERE employer_id = @employerId AND status = 'open'", new { employerId }));
        Assert.Equal(1, await ScalarAsync<long>(database.DataSource, "SELECT count(*) FROM vacancy WHERE employer_id = @employerId AND status = 'draft'", new { employerId }));
        Assert.Equal(1, await ScalarAsync<long>(database.DataSource, "SELECT count(*) FROM vacancy_event WHERE employer_id = @employerId AND kind = 'published'", new { employerId }));
    }

    [Fact]
    public async Task ImportPage_ShowsTheRowReport()
    {
        var admin = await AdminAsync();
        var formToken = await JobMatchApp.FormTokenAsync(admin, "/admin/vacancies/import");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(formToken), "__RequestVerificationToken" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(Header + "\n" + Row("NO-SUCH", "X"))), "file", "v.csv" },
        };

        var response = await admin.PostAsync("/admin/vacancies/import?handler=Check", form);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches("<td data-label=\"Line\">2</td><td data-label=\"Column\">employer</td><td class=\"value\" data-label=\"Value found\">NO-SUCH</td>", html);
        Assert.Contains("No employer with membership number or id NO-SUCH.", html);
    }

    [Fact]
    public async Task Import_IsForAdminsOnly()
    {
        var (employer, _) = await EmployerClientAsync(_app);
        var response = await employer.PostAsync("/api/vacancy-imports", new StringContent(Header, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private async Task<HttpClient> AdminAsync()
    {
        var (admin, _) = await _app.SignedInClientAsync(Roles.Admin);
        await JobMatchApp.UseApiTokenAsync(admin);
        return admin;
    }
}
