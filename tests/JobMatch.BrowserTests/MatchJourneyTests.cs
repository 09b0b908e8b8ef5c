using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using JobMatch.BackgroundJobs;
using JobMatch.Identity;
using JobMatch.Tests.BackgroundJobs;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Matching;
using JobMatch.Tests.Seekers;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace JobMatch.BrowserTests;

/// <summary>
/// The flow of one match (ARCHITECTURE.md), every step clicked in a real browser by the role that takes it: the employer
/// publishes, the proposal job runs, the case worker approves, the employer invites from an anonymous card, the seeker
/// accepts in Bangla on a phone, the employer sees the contact and records the hire. Only the people, organisations
/// and the seeker's registration are arranged outside the browser.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class MatchJourneyTests(PostgresFixture database, ChromiumFixture chromium, ITestOutputHelper output)
{
    private const string Skill = "HND-005"; // Coconut shell crafts (handicrafts): rare, so the proposal is ours
    private const float StepTimeoutMs = 15_000;
    private static readonly ViewportSize Desktop = new() { Width = 1280, Height = 900 };
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private readonly List<IPage> _pages = [];
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    /// <summary>Writes how long the journey took to reach a point (test output only, to see where a slow run spent its time).</summary>
    private void Reached(string point) => output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:F1} s  {point}");

    [BrowserFact]
    public async Task MatchJourney_EndsInAHire_WhenEveryRoleTakesItsStepInTheBrowser()
    {
        await using var app = new BrowserApp(database, FlowWorld.Settings());
        using var _ = app.CreateClient(); // starts the server
        Reached("app started");
        var people = await ArrangeAsync(app);
        Reached("people arranged");
        await using var session = await chromium.SessionAsync();
        var browser = session.Browser;
        Reached("chromium launched");
        try
        {
            await WalkAsync(app, browser, people);
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            throw new InvalidOperationException(await WhereEachPageIsAsync(), e);
        }
    }

    private async Task WalkAsync(BrowserApp app, IBrowser browser, People people)
    {
        // Employer: a new vacancy through the form, then published from their home page.
        var employer = await NewPageAsync(browser, Desktop);
        await SignInAsync(employer, app, people.EmployerUser, staff: false);
        var vacancyId = await PublishVacancyAsync(employer);
        Reached("vacancy published");

        // The proposal job, run here as Hangfire would (its server is off in tests).
        await DomainJobsData.RunAsync<ProposeMatchesForVacancy>(app.Services, job => job.RunAsync(vacancyId, CancellationToken.None));
        var matchId = await MatchIdAsync(vacancyId, people.SeekerId);
        Assert.Equal("proposed", await StatusAsync(matchId));
        var handle = await HandleAsync(matchId); // the employer's name for this person on this vacancy
        Reached("proposed");

        // Case worker: from the caseload to the review, approve.
        var caseWorker = await NewPageAsync(browser, Desktop);
        await SignInAsync(caseWorker, app, people.CaseWorkerUser, staff: true);
        await caseWorker.ClickAsync("a[href='/casework/review']");
        var proposal = caseWorker.Locator($"#match-{matchId}");
        await proposal.WaitForAsync();
        await Shot(caseWorker, "case-worker-review");
        await proposal.Locator("form[action*='handler=Approve'] button").ClickAsync();
        await caseWorker.Locator($"#match-{matchId}").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
        Assert.Equal("shown", await StatusAsync(matchId));
        Reached("approved by the case worker");

        // Employer: the shortlist shows an anonymous card; invite.
        await employer.ClickAsync("a[href='/employer']");
        await employer.ClickAsync($"#vacancy-{vacancyId} a[href='/employer/vacancies/{vacancyId}/shortlist']");
        var card = employer.Locator($"#candidate-{handle}");
        await card.WaitForAsync();
        await Shot(employer, "employer-shortlist");
        AssertNone(await employer.ContentAsync(), people.Secrets);
        await card.Locator("form[action*='handler=Invite'] button").ClickAsync();
        await employer.WaitForURLAsync($"**/employer/vacancies/{vacancyId}/candidates/{handle}");
        AssertNone(await employer.ContentAsync(), people.Secrets);
        Assert.Equal("invited", await StatusAsync(matchId));
        Reached("invited");

        // Seeker: on a phone, in Bangla (their account's language), my offers → the offer → accept.
        var seeker = await NewPageAsync(browser, Phone);
        await SignInAsync(seeker, app, people.SeekerPhone, staff: false);
        await seeker.WaitForURLAsync("**/me/offers");
        await seeker.Locator("html[lang=bn]").WaitForAsync();
        Assert.Contains(TitleBn, await seeker.InnerTextAsync("main"));
        await Shot(seeker, "seeker-offers-bn");
        await seeker.ClickAsync($"a[href='/me/offers/{matchId}']");
        Assert.Contains("নাম ও ফোন নম্বর", await seeker.InnerTextAsync("main")); // what accepting shares, said plainly
        await seeker.ClickAsync("form[action*='handler=Accept'] button");
        await seeker.WaitForURLAsync("**/me/offers?done=accepted");
        Assert.Equal("accepted", await StatusAsync(matchId));
        Reached("accepted by the seeker");

        // Employer: the same candidate page now shows the name and phone; record the hire.
        await employer.ReloadAsync();
        var contact = await employer.InnerTextAsync($"#candidate-{handle}");
        Assert.Contains(people.SeekerName, contact);
        Assert.Contains(people.SeekerPhone.Replace("+88", "", StringComparison.Ordinal), contact);
        await employer.CheckAsync("input[name='Form.Outcome'][value=hired]");
        var start = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(7));
        await employer.FillAsync("#start", start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await employer.FillAsync("#wage", "14000");
        await employer.SelectOptionAsync("#contract", "true");
        await employer.ClickAsync("form[action*='handler=Outcome'] button[type=submit]");
        await employer.Locator("p[role=status].notice").WaitForAsync();
        Assert.Equal(("hired", start, 14_000, true), await HireAsync(matchId));
        Reached("hire recorded");
        await Shot(employer, "employer-candidate-hired");
        await employer.ClickAsync("a[href='/employer']");
        await employer.Locator($"#vacancy-{vacancyId}").WaitForAsync();
        await Shot(employer, "employer-home");

        // Admin: home and the programme figures, reached by clicking.
        var admin = await NewPageAsync(browser, Desktop);
        await SignInAsync(admin, app, people.AdminUser, staff: true);
        await Shot(admin, "admin-home");
        await admin.ClickAsync("main a[href='/admin/programme']");
        await admin.WaitForURLAsync("**/admin/programme");
        await Shot(admin, "admin-programme");
        Reached("admin pages");
    }

    /// <summary>On a failed step: every role's page as a screenshot, and its address and error messages as text.</summary>
    private async Task<string> WhereEachPageIsAsync()
    {
        var report = new System.Text.StringBuilder("A step of the journey failed. Pages:");
        for (var i = 0; i < _pages.Count; i++)
        {
            var page = _pages[i];
            await Shot(page, "failure-" + i);
            var errors = await page.Locator(".error, .field-error, .warning").AllInnerTextsAsync();
            report.Append(CultureInfo.InvariantCulture, $"\n{i}: {page.Url} {string.Join(" | ", errors)}");
        }
        return report.ToString();
    }

    private const string TitleEn = "Coconut shell craft worker";
    private const string TitleBn = "নারকেলের খোলের কারুশিল্পী";

    private async Task<long> PublishVacancyAsync(IPage page)
    {
        await page.ClickAsync("a[href='/employer/vacancy']");
        await page.FillAsync("#Input_TitleEn", TitleEn);
        await page.FillAsync("#Input_TitleBn", TitleBn);
        await page.FillAsync("#Input_DescriptionEn", "Making bowls and spoons from coconut shells in our workshop.");
        await page.FillAsync("#Input_DescriptionBn", "আমাদের কারখানায় নারকেলের খোল দিয়ে বাটি ও চামচ তৈরি।");
        await page.SelectOptionAsync("#Input_SectorCode", "handicrafts");
        await page.FillAsync("#Input_Isco08", "7317"); // handicraft workers in wood, basketry and related materials
        await page.SelectOptionAsync("#Input_UpazilaCode", "coxs_bazar_sadar");
        await page.FillAsync("#Input_WageMinBdt", "12000");
        await page.FillAsync("#Input_WageMaxBdt", "16000");
        await page.SelectOptionAsync("#Input_Kind", "wage");
        await page.FillAsync("#Input_Openings", "2");
        await page.FillAsync("#Input_Hours", "9:00-17:00");
        await page.FillAsync("#Input_ClosingDate", DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.SelectOptionAsync("#SkillSector", "handicrafts");
        await page.ClickAsync("button[formaction*='handler=Skills']");
        await page.CheckAsync($"#skill-{Skill}");
        await page.SelectOptionAsync($"select[name='level-{Skill}']", "2");
        await page.ClickAsync("main form button.primary[type=submit]");
        await page.WaitForURLAsync(url => url.Contains("/employer#vacancy-", StringComparison.Ordinal));
        var id = long.Parse(new Uri(page.Url).Fragment["#vacancy-".Length..], CultureInfo.InvariantCulture);
        await page.ClickAsync($"#vacancy-{id} form[action*='handler=Publish'] button");
        await page.Locator($"#vacancy-{id} a[href='/employer/vacancies/{id}/shortlist']").WaitForAsync();
        return id;
    }

    /// <summary>Signs in through the form; staff then type the code their authenticator app would show.</summary>
    internal static async Task SignInAsync(IPage page, BrowserApp app, string userName, bool staff)
    {
        await page.GotoAsync(app.BaseUrl + "/account/login");
        await page.FillAsync("#UserName", userName);
        await page.FillAsync("#Password", TestUsers.Password);
        await page.ClickAsync("main form button[type=submit]");
        if (staff)
        {
            await page.WaitForURLAsync("**/account/two-factor**");
            await page.FillAsync("#Code", await TestAuthenticator.NextCodeAsync(userName));
            await page.ClickAsync("main form button[type=submit]");
        }
        await page.WaitForURLAsync(url => !url.Contains("/account/", StringComparison.Ordinal));
    }

    /// <summary>A page in a context of its own (one person's cookies), with every step bounded.</summary>
    private async Task<IPage> NewPageAsync(IBrowser browser, ViewportSize viewport)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = viewport });
        context.SetDefaultTimeout(StepTimeoutMs);
        context.SetDefaultNavigationTimeout(StepTimeoutMs);
        var page = await context.NewPageAsync();
        _pages.Add(page);
        return page;
    }

    private static Task Shot(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ScreenshotPath("journey-" + name), FullPage = true });

    private static void AssertNone(string html, IEnumerable<string> secrets)
    {
        foreach (var secret in secrets)
        {
            Assert.False(html.Contains(secret, StringComparison.OrdinalIgnoreCase), $"'{secret}' is on the employer's page before consent");
        }
    }

    private sealed record People(string EmployerUser, string CaseWorkerUser, string AdminUser, string SeekerPhone, string SeekerName,
        string Reference, long SeekerId, IReadOnlyList<string> Secrets);

    /// <summary>
    /// The people: a verified employer, a case agency that reviews proposals, an admin, and a seeker registered by the
    /// case worker (canary identity and case file, the rare skill, a password to sign in with by phone).
    /// </summary>
    private async Task<People> ArrangeAsync(BrowserApp app)
    {
        var sql = new MatchingWorld(database.DataSource);
        var employerId = await sql.EmployerAsync();
        await using (var c = await database.DataSource.OpenConnectionAsync())
        {
            await c.ExecuteAsync("UPDATE employer SET trade_licence_number = @licence WHERE organisation_id = @employerId",
                new { employerId, licence = "TL-" + Guid.NewGuid().ToString("N")[..8] });
        }
        var employer = await TestUsers.CreateUserAsync(app.Services, Roles.Employer, employerId);
        var agencyName = "CANARYAGENCY" + Guid.NewGuid().ToString("N")[..8];
        var agency = await TestUsers.CreateOrganisationAsync(app.Services, "case_agency", agencyName);
        var caseWorker = await TestUsers.CreateUserAsync(app.Services, Roles.CaseWorker, agency);
        var admin = await TestUsers.CreateUserAsync(app.Services, Roles.Admin, await TestUsers.CreateOrganisationAsync(app.Services, "platform"));

        using var api = app.CreatePlainClient();
        Assert.Equal(HttpStatusCode.Redirect, (await JobMatchApp.SignInAsync(api, caseWorker.UserName!, TestUsers.Password)).StatusCode);
        await JobMatchApp.UseApiTokenAsync(api);
        var canaries = SeekerApi.Canaries.New();
        var reference = await SeekerApi.RegisterAsync(api, canaries);
        await SeekerApi.WriteCaseFileAsync(api, reference, canaries);
        Assert.Equal(HttpStatusCode.NoContent, (await api.PutAsJsonAsync($"/api/casework/seekers/{reference}/skills/{Skill}",
            new { level = 3, source = "assessed", monthsExperience = 18 })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsJsonAsync($"/api/casework/seekers/{reference}/password",
            new { password = TestUsers.Password })).StatusCode);
        await using var db = await database.DataSource.OpenConnectionAsync();
        var seekerId = await db.ExecuteScalarAsync<long>("SELECT id FROM seeker WHERE reference = @reference", new { reference });
        return new People(employer.UserName!, caseWorker.UserName!, admin.UserName!, canaries.Phone, canaries.Name, reference, seekerId,
            [.. canaries.All, agencyName, "trafficking_survivor", "survivor", reference]);
    }

    private async Task<long> MatchIdAsync(long vacancyId, long seekerId)
    {
        await using var c = await database.DataSource.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<long>("SELECT id FROM match WHERE vacancy_id = @vacancyId AND seeker_id = @seekerId", new { vacancyId, seekerId });
    }

    private async Task<(string, DateOnly?, int?, bool?)> HireAsync(long matchId)
    {
        await using var c = await database.DataSource.OpenConnectionAsync();
        var hire = await c.QuerySingleAsync<(string Status, DateTime? Start, int? Wage, bool? Contract)>(
            "SELECT status, hired_start_date, hired_monthly_wage_bdt, hired_written_contract FROM match WHERE id = @matchId", new { matchId });
        return (hire.Status, hire.Start is { } d ? DateOnly.FromDateTime(d) : null, hire.Wage, hire.Contract);
    }

    private async Task<string> HandleAsync(long matchId)
    {
        await using var c = await database.DataSource.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<string>("SELECT handle FROM match WHERE id = @matchId", new { matchId }) ?? "";
    }

    private async Task<string> StatusAsync(long matchId)
    {
        await using var c = await database.DataSource.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<string>("SELECT status FROM match WHERE id = @matchId", new { matchId }) ?? "";
    }
}
