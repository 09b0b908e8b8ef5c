using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using JobMatch.Tests.Infrastructure;
using JobMatch.Vacancies;
using Microsoft.Extensions.DependencyInjection;
using static JobMatch.Tests.Vacancies.BoardTestData;

namespace JobMatch.Tests.Vacancies;

/// <summary>The public job board: what it lists, filters, search in both languages, pages, and the JobPosting JSON-LD.</summary>
[Collection(PostgresCollection.Name)]
public sealed partial class BoardTests(PostgresFixture database) : IAsyncLifetime
{
    private JobMatchApp _app = null!;
    private HttpClient _anonymous = null!;

    public Task InitializeAsync()
    {
        _app = new JobMatchApp(database);
        _anonymous = _app.CreatePlainClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _anonymous.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Board_ListsOnlyOpenVacanciesOfVerifiedEmployers()
    {
        var db = database.DataSource;
        var token = Token();
        var verified = await CreateEmployerAsync(db);
        var shown = await InsertVacancyAsync(db, verified, $"Shown {token}");
        await InsertVacancyAsync(db, verified, $"Draft {token}", status: "draft");
        await InsertVacancyAsync(db, verified, $"Closed {token}", status: "closed");
        await InsertVacancyAsync(db, verified, $"Filled {token}", status: "filled");
        await InsertVacancyAsync(db, verified, $"Expired {token}", closing: Today.AddDays(-1));
        await InsertVacancyAsync(db, await CreateEmployerAsync(db, "pending"), $"Pending {token}");
        await InsertVacancyAsync(db, await CreateEmployerAsync(db, "suspended"), $"Suspended {token}");
        await InsertVacancyAsync(db, await CreateEmployerAsync(db, chargesFee: true), $"Fee {token}");

        var ids = await SearchAsync($"?q={token}");
        var html = await _anonymous.GetStringAsync($"/jobs?q={token}");

        Assert.Equal([shown], ids);
        Assert.Contains($"Shown {token}", html);
        Assert.DoesNotContain($"Draft {token}", html);
        Assert.DoesNotContain($"Pending {token}", html);
    }

    [Fact]
    public async Task Board_FiltersBySectorUpazilaKindAndWage()
    {
        var db = database.DataSource;
        var token = Token();
        var employer = await CreateEmployerAsync(db);
        var tailorUkhia = await InsertVacancyAsync(db, employer, $"A {token}", sector: "garments", upazila: "ukhia", kind: "wage", wageMin: 13000, wageMax: 15000);
        var cookTeknaf = await InsertVacancyAsync(db, employer, $"B {token}", sector: "hospitality", upazila: "teknaf", kind: "apprenticeship", wageMin: 10000, wageMax: null);
        var shopRamu = await InsertVacancyAsync(db, employer, $"C {token}", sector: "retail", upazila: "ramu", kind: "self", wageMin: 20000, wageMax: 30000);

        Assert.Equal([cookTeknaf], await SearchAsync($"?q={token}&sector=hospitality"));
        Assert.Equal([shopRamu], await SearchAsync($"?q={token}&upazila=ramu"));
        Assert.Equal([tailorUkhia], await SearchAsync($"?q={token}&kind=wage"));
        Assert.Equal(new[] { shopRamu, tailorUkhia }.Order(), (await SearchAsync($"?q={token}&minWage=14000")).Order());
        Assert.Empty(await SearchAsync($"?q={token}&sector=garments&upazila=teknaf"));
    }

    [Fact]
    public async Task Board_SearchesEnglishAndBangla_IgnoringCaseAndSuffixes()
    {
        var db = database.DataSource;
        var token = Token();
        var bnToken = Bangla(token);
        var employer = await CreateEmployerAsync(db);
        var tailor = await InsertVacancyAsync(db, employer, $"Tailoring assistant {token}", titleBn: $"দক্ষ দর্জিদের সহকারী {bnToken}");
        var cook = await InsertVacancyAsync(db, employer, $"Cook {token}", titleBn: $"রাঁধুনি {bnToken}", descriptionBn: "হোটেলে ভাত ও তরকারি রান্না");

        Assert.Equal([tailor], await SearchAsync($"?q=TAILOR+{token}"));
        Assert.Equal([tailor], await SearchAsync($"?q={Uri.EscapeDataString($"দর্জি {bnToken}")}"));
        Assert.Equal([cook], await SearchAsync($"?q={Uri.EscapeDataString($"তরকারি {bnToken}")}"));
        Assert.Empty(await SearchAsync($"?q={Uri.EscapeDataString($"ইলেকট্রিশিয়ান {bnToken}")}"));
        Assert.Empty(await SearchAsync($"?q={token}+100%25"));
    }

    [Fact]
    public async Task Board_FindsVacancyByItsWantedSkillsNameInEnglishAndBangla_AndByDescription()
    {
        var db = database.DataSource;
        var token = Token();
        var bnToken = Bangla(token);
        var employer = await CreateEmployerAsync(db);
        // HOS-002 is "Hotel room cleaning and bed making" / "হোটেলের রুম পরিষ্কার ও বিছানা গোছানো"; neither title says so.
        var attendant = await InsertVacancyAsync(db, employer, $"Room attendant {token}", titleBn: $"রুম সহকারী {bnToken}");
        var cook = await InsertVacancyAsync(db, employer, $"Cook {token}", titleBn: $"রাঁধুনি {bnToken}");
        await ScalarAsync<int>(db, "INSERT INTO vacancy_skill (vacancy_id, skill_id, min_level, required) SELECT @attendant, id, 1, true FROM skill WHERE code = 'HOS-002' RETURNING 1", new { attendant });
        await ScalarAsync<int>(db, "UPDATE vacancy SET description_en = 'Fish curry and rice for guests.' WHERE id = @cook RETURNING 1", new { cook });

        Assert.Equal([attendant], await SearchAsync($"?q=cleaning+{token}"));
        Assert.Equal([attendant], await SearchAsync($"?q={Uri.EscapeDataString($"পরিষ্কার {bnToken}")}"));
        Assert.Equal([cook], await SearchAsync($"?q=curry+{token}"));
        Assert.Contains($"Room attendant {token}", await _anonymous.GetStringAsync($"/jobs?q=Cleaning+{token}"));

        // The names follow the vacancy's skills: a skill no longer wanted no longer finds it (once the database's change
        // notice has moved the board cache on).
        var notices = _app.Services.GetRequiredService<BoardChangeListener>().Received;
        await ScalarAsync<int>(db, "WITH d AS (DELETE FROM vacancy_skill WHERE vacancy_id = @attendant RETURNING 1) SELECT count(*)::int FROM d", new { attendant });
        await BoardCacheTests.NoticeAsync(_app, notices);
        Assert.Empty(await SearchAsync($"?q=cleaning+{token}"));
    }

    [Fact]
    public async Task Board_FindsVacancyByTheSkillsNewName_AfterTheTaxonomyIsLoadedAgainWithTheSkillRenamed()
    {
        var db = database.DataSource;
        var token = Token();
        var bnToken = Bangla(token);
        // A skill of this test's own (the shared database's real skills stay as they are), loaded from a copy of the
        // seed data, then renamed in that copy and loaded again, as an edited skills.csv is at the next start.
        var code = "TST-" + token[2..8].ToUpperInvariant();
        var directory = Directory.CreateTempSubdirectory("jobmatch-taxonomy-").FullName;
        foreach (var file in Directory.GetFiles(PostgresFixture.SeedDirectory, "*.csv")) File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
        var skills = Path.Combine(directory, "skills.csv");
        var seedSkills = File.ReadAllText(skills).TrimEnd('\r', '\n');
        async Task LoadWithNameAsync(string nameEn, string nameBn)
        {
            await File.WriteAllTextAsync(skills, seedSkills + $"\n{code},{nameEn},{nameBn},hospitality,5120\n");
            await new JobMatch.Skills.ReferenceData(db).LoadAsync(directory, CancellationToken.None);
        }
        var employer = await CreateEmployerAsync(db);
        var vacancy = await InsertVacancyAsync(db, employer, $"Kitchen helper {token}", titleBn: $"রান্নাঘরের সহকারী {bnToken}");
        try
        {
            await LoadWithNameAsync($"Oldname{token}", $"পুরনো{bnToken}");
            await ScalarAsync<int>(db, "INSERT INTO vacancy_skill (vacancy_id, skill_id, min_level, required) SELECT @vacancy, id, 1, true FROM skill WHERE code = @code RETURNING 1", new { vacancy, code });
            Assert.Equal([vacancy], await SearchAsync($"?q=Oldname{token}")); // control: the first name finds it

            await LoadWithNameAsync($"Newname{token}", $"নতুন{bnToken}");

            Assert.Equal([vacancy], await SearchAsync($"?q=Newname{token}"));
            Assert.Equal([vacancy], await SearchAsync($"?q={Uri.EscapeDataString($"নতুন{bnToken}")}"));
            Assert.Empty(await SearchAsync($"?q=Oldname{token}"));
            Assert.Empty(await SearchAsync($"?q={Uri.EscapeDataString($"পুরনো{bnToken}")}"));
        }
        finally
        {
            await ScalarAsync<int>(db, "WITH d AS (DELETE FROM vacancy WHERE id = @vacancy RETURNING 1) SELECT count(*)::int FROM d", new { vacancy });
            await ScalarAsync<int>(db, "WITH d AS (DELETE FROM skill WHERE code = @code RETURNING 1) SELECT count(*)::int FROM d", new { code });
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Board_PagesTwentyAtATime()
    {
        var db = database.DataSource;
        var token = Token();
        var employer = await CreateEmployerAsync(db);
        for (var i = 0; i < 23; i++) await InsertVacancyAsync(db, employer, $"Job {i} {token}");

        using var first = JsonDocument.Parse(await _anonymous.GetStringAsync($"/api/board?q={token}"));
        using var second = JsonDocument.Parse(await _anonymous.GetStringAsync($"/api/board?q={token}&page=2"));
        var html = await _anonymous.GetStringAsync($"/jobs?q={token}");

        Assert.Equal(20, first.RootElement.GetProperty("items").GetArrayLength());
        Assert.True(first.RootElement.GetProperty("hasNext").GetBoolean());
        Assert.Equal(23, first.RootElement.GetProperty("total").GetInt32());
        Assert.Equal(3, second.RootElement.GetProperty("items").GetArrayLength());
        Assert.False(second.RootElement.GetProperty("hasNext").GetBoolean());
        Assert.Contains($"page=2", html);
    }

    [Fact]
    public async Task VacancyPage_CarriesJobPostingJsonLd_ThatParses()
    {
        var db = database.DataSource;
        var token = Token();
        var employer = await CreateEmployerAsync(db);
        var id = await InsertVacancyAsync(db, employer, $"Tailor </script><b>{token}", titleBn: $"দর্জি {token}", wageMin: 13000, wageMax: 16000, closing: Today.AddDays(10));

        var response = await _anonymous.GetAsync($"/jobs/{id}");
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(JsonLdBlock().IsMatch(html), html);
        using var posting = JsonDocument.Parse(JsonLdBlock().Match(html).Groups[1].Value);
        var root = posting.RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("https://schema.org", root.GetProperty("@context").GetString());
        Assert.Equal("JobPosting", root.GetProperty("@type").GetString());
        Assert.Equal($"Tailor </script><b>{token}", root.GetProperty("title").GetString());
        Assert.Equal("A job.", root.GetProperty("description").GetString());
        Assert.Equal(Today.ToString("yyyy-MM-dd"), root.GetProperty("datePosted").GetString());
        Assert.StartsWith(Today.AddDays(10).ToString("yyyy-MM-dd"), root.GetProperty("validThrough").GetString());
        Assert.Equal("FULL_TIME", root.GetProperty("employmentType").GetString());
        Assert.Equal("Organization", root.GetProperty("hiringOrganization").GetProperty("@type").GetString());
        Assert.StartsWith("Employer ", root.GetProperty("hiringOrganization").GetProperty("name").GetString());
        var address = root.GetProperty("jobLocation").GetProperty("address");
        Assert.Equal("Ukhia", address.GetProperty("addressLocality").GetString());
        Assert.Equal("Cox's Bazar", address.GetProperty("addressRegion").GetString());
        Assert.Equal("BD", address.GetProperty("addressCountry").GetString());
        var salary = root.GetProperty("baseSalary");
        Assert.Equal("BDT", salary.GetProperty("currency").GetString());
        Assert.Equal("MONTH", salary.GetProperty("value").GetProperty("unitText").GetString());
        Assert.Equal(13000, salary.GetProperty("value").GetProperty("minValue").GetInt32());
        Assert.Equal(16000, salary.GetProperty("value").GetProperty("maxValue").GetInt32());
        Assert.DoesNotContain("</script><b>", JsonLdBlock().Match(html).Groups[1].Value);
        Assert.Single(Regex.Matches(html, "<script"));
    }

    [Fact]
    public async Task VacancyPage_UsesBanglaTitle_WhenPageLanguageIsBangla()
    {
        var db = database.DataSource;
        var token = Token();
        var employer = await CreateEmployerAsync(db);
        var both = await InsertVacancyAsync(db, employer, $"Tailor {token}", titleBn: $"দর্জি {token}");
        var englishOnly = await InsertVacancyAsync(db, employer, $"Welder {token}");
        // An anonymous visitor's switch carries no token: the board's pages are shared from the cache (Web/Localisation).
        var switched = await _anonymous.PostAsync("/language", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["culture"] = "bn", ["returnUrl"] = "/jobs",
        }));
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);

        var html = await _anonymous.GetStringAsync($"/jobs/{both}");
        var fallback = await _anonymous.GetStringAsync($"/jobs/{englishOnly}");
        var list = await _anonymous.GetStringAsync($"/jobs?q={token}");

        Assert.Contains($"<h1>দর্জি {token}</h1>", html);
        Assert.Contains($"\"title\":\"দর্জি {token}\"", html);
        Assert.Contains("উখিয়া", html);
        Assert.Contains($"<h1>Welder {token}</h1>", fallback);
        Assert.Contains("2টি চাকরি পাওয়া গেছে", list);
    }

    [Fact]
    public async Task BoardPages_AreLightAndNeedNoScript()
    {
        var db = database.DataSource;
        var token = Token();
        var employer = await CreateEmployerAsync(db);
        for (var i = 0; i < 20; i++) await InsertVacancyAsync(db, employer, $"Job {i} {token}", titleBn: $"চাকরি {i} {token}");

        var list = await _anonymous.GetStringAsync($"/jobs?q={token}");

        Assert.DoesNotContain("<script", list);
        Assert.DoesNotContain("<img", list);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(list) < 40 * 1024, $"{System.Text.Encoding.UTF8.GetByteCount(list)} bytes");
    }

    [Fact]
    public async Task BoardApi_ShowsOnlyVacancyFields()
    {
        var db = database.DataSource;
        var token = Token();
        var id = await InsertVacancyAsync(db, await CreateEmployerAsync(db), $"Job {token}");
        string[] allowed =
        [
            "id", "titleEn", "titleBn", "descriptionEn", "descriptionBn", "isco08", "employerName", "membership", "sectorCode", "upazilaCode",
            "lat", "lon", "wageMinBdt", "wageMaxBdt", "kind", "openings", "hours", "shifts", "facilities", "minEducationLevel",
            "closingDate", "publishedAt", "skills",
        ];

        using var list = JsonDocument.Parse(await _anonymous.GetStringAsync($"/api/board?q={token}"));
        using var one = JsonDocument.Parse(await _anonymous.GetStringAsync($"/api/board/{id}"));

        Assert.All(list.RootElement.GetProperty("items")[0].EnumerateObject(), p => Assert.Contains(p.Name, allowed));
        Assert.All(one.RootElement.EnumerateObject(), p => Assert.Contains(p.Name, allowed));
    }

    [Fact]
    public async Task OpenApiDocument_ListsTheJobBoardApi()
    {
        var document = await _anonymous.GetStringAsync("/openapi/v1.json");

        foreach (var path in new[] { "/api/board", "/api/board/{id}" })
        {
            Assert.Contains($"\"{path}\"", document);
        }
    }

    private async Task<long[]> SearchAsync(string query)
    {
        using var json = JsonDocument.Parse(await _anonymous.GetStringAsync("/api/board" + query));
        return json.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).ToArray();
    }

    /// <summary>A unique Bangla word from the token, so Bangla searches only find this test's rows.</summary>
    private static string Bangla(string token) => new(token.Select(c => (char)('ক' + (c % 20))).ToArray());

    [GeneratedRegex("<script type=\"application/ld\\+json\">(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex JsonLdBlock();
}
