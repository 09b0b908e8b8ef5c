using System.Net;
using Dapper;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Matching;
using JobMatch.Tests.Seekers;
using Microsoft.Playwright;

namespace JobMatch.BrowserTests;

/// <summary>
/// The skill picker's search box (wwwroot/js/skill-picker.js) on a 390 px phone in Bangla: a skill is found by typing
/// part of its Bangla or its English name, picked with one tap, and saved, on the case worker's seeker page and on the
/// employer's vacancy form (issue 16: nobody should need to know a skill code).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SkillPickerTests(PostgresFixture database, ChromiumFixture chromium)
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    [BrowserFact]
    public async Task SeekerPage_SavesTheSkillsFound_ByTypingABanglaAndAnEnglishName()
    {
        await using var app = new BrowserApp(database, FlowWorld.Settings());
        using var _ = app.CreateClient(); // starts the server
        using var api = app.CreatePlainClient();
        var agency = await TestUsers.CreateOrganisationAsync(app.Services, "case_agency", "Agency " + Guid.NewGuid().ToString("N")[..8]);
        var worker = await TestUsers.CreateUserAsync(app.Services, Roles.CaseWorker, agency);
        Assert.Equal(HttpStatusCode.Redirect, (await JobMatchApp.SignInAsync(api, worker.UserName!, TestUsers.Password)).StatusCode);
        await JobMatchApp.UseApiTokenAsync(api);
        var reference = await SeekerApi.RegisterAsync(api, SeekerApi.Canaries.New(), upazila: "coxs_bazar_sadar");

        await using var session = await chromium.SessionAsync();
        var browser = session.Browser;
        var page = await OpenInBanglaAsync(browser, app, worker.UserName!, staff: true, $"/casework/seekers/{reference}");

        await PickAndSaveOnSeekerPageAsync(page, "নকশি কাঁথা", "HND-006");      // Nakshi kantha embroidery, by its Bangla name
        await PickAndSaveOnSeekerPageAsync(page, "coconut shell", "HND-005");   // নারকেলের খোলের কারুপণ্য, by its English name

        var skills = page.Locator("section:has(#skillCode) table");
        await Assertions.Expect(skills).ToContainTextAsync("নকশি কাঁথা সেলাই");
        await Assertions.Expect(skills).ToContainTextAsync("নারকেলের খোলের কারুপণ্য");
        await using var db = await database.DataSource.OpenConnectionAsync();
        var saved = await db.QueryAsync<string>(
            "SELECT k.code FROM seeker_skill ss JOIN seeker s ON s.id = ss.seeker_id JOIN skill k ON k.id = ss.skill_id WHERE s.reference = @reference ORDER BY k.code",
            new { reference });
        Assert.Equal(["HND-005", "HND-006"], saved);
    }

    [BrowserFact]
    public async Task VacancyForm_SavesTheWantedSkillFound_ByTypingItsBanglaName()
    {
        await using var app = new BrowserApp(database, FlowWorld.Settings());
        using var _ = app.CreateClient();
        var sql = new MatchingWorld(database.DataSource);
        var employerId = await sql.EmployerAsync();
        var employer = await TestUsers.CreateUserAsync(app.Services, Roles.Employer, employerId);
        var vacancy = await sql.VacancyAsync(employerId, ("HND-005", 2, true));
        await using var db = await database.DataSource.OpenConnectionAsync();
        // Everything else the form requires, above the sector's minimum wage, so that only the skills change.
        await db.ExecuteAsync("UPDATE vacancy SET description_en = 'Sewing and finishing', isco08 = '7531', wage_min_bdt = 20000, wage_max_bdt = 24000 WHERE id = @vacancy", new { vacancy });

        await using var session = await chromium.SessionAsync();
        var browser = session.Browser;
        var page = await OpenInBanglaAsync(browser, app, employer.UserName!, staff: false, $"/employer/vacancy/{vacancy}");

        // Nakshi kantha is a handicrafts skill: not in the garments list shown below, found only by the search.
        await PickAsync(page, "addSkill", "নকশি কাঁথা", "HND-006");
        await page.ClickAsync("main form button.primary");
        await page.WaitForURLAsync(url => url.Contains("/employer#vacancy-", StringComparison.Ordinal));

        var wanted = await db.QueryAsync<string>(
            "SELECT k.code FROM vacancy_skill vs JOIN skill k ON k.id = vs.skill_id WHERE vs.vacancy_id = @vacancy ORDER BY k.code", new { vacancy });
        Assert.Equal(["HND-005", "HND-006"], wanted);
    }

    private static async Task PickAndSaveOnSeekerPageAsync(IPage page, string typed, string code)
    {
        await PickAsync(page, "skillCode", typed, code);
        await page.ClickAsync("form[action$='handler=Skill'] button.primary");
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        Assert.Equal(0, await page.Locator(".field-error").CountAsync());
    }

    /// <summary>Types into the search box the script adds above the select, taps the one match, and checks the select took it.</summary>
    private static async Task PickAsync(IPage page, string selectId, string typed, string code)
    {
        await page.Locator($"#{selectId}-search").PressSequentiallyAsync(typed);
        var matches = page.Locator($"#{selectId}-matches button");
        await Assertions.Expect(matches).ToHaveCountAsync(1);
        await matches.ClickAsync();
        Assert.Equal(code, await page.InputValueAsync($"#{selectId}"));
    }

    /// <summary>A phone-sized page of its own, signed in, switched to Bangla, at the given path.</summary>
    private static async Task<IPage> OpenInBanglaAsync(IBrowser browser, BrowserApp app, string userName, bool staff, string path)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = Phone });
        context.SetDefaultTimeout(15_000);
        context.SetDefaultNavigationTimeout(15_000);
        var page = await context.NewPageAsync();
        await MatchJourneyTests.SignInAsync(page, app, userName, staff);
        await page.ClickAsync("header.top form[action='/language'] button[value=bn]");
        await page.Locator("html[lang=bn]").WaitForAsync();
        await page.GotoAsync(app.BaseUrl + path);
        return page;
    }
}
