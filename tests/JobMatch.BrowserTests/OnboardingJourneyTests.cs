using System.Globalization;
using JobMatch.Chambers;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;
using Microsoft.Playwright;

namespace JobMatch.BrowserTests;

/// <summary>
/// Issue 17 in a real browser: a business registers itself in Bangla on a phone, the Women Chamber's admin verifies
/// it, and its vacancy reaches the public board; the platform admin creates a case agency and invites a case
/// worker, who sets a password, enrols the authenticator app and registers a seeker.
/// (A deactivated user's open session is refused on its next request: HTTP-level, in OnboardingTests.)
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OnboardingJourneyTests(PostgresFixture database, ChromiumFixture chromium)
{
    private static readonly ViewportSize Desktop = new() { Width = 1280, Height = 900 };
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    [BrowserFact]
    public async Task Business_RegistersInBanglaOnAPhone_IsVerifiedByItsChamber_AndItsVacancyReachesTheBoard()
    {
        await using var app = new BrowserApp(database);
        using var _ = app.CreateClient();
        var chamberAdmin = await TestUsers.CreateUserAsync(app.Services, Roles.ChamberAdmin, MembershipBodies.Ids["women_chamber"]);
        var token = Guid.NewGuid().ToString("N")[..8];
        var title = "Shell crafts helper " + token;
        await using var session = await chromium.SessionAsync();
        var browser = session.Browser;

        var business = await NewPageAsync(browser, Phone);
        await business.GotoAsync(app.BaseUrl + "/register/employer");
        await business.ClickAsync("header button[value='bn']");
        await business.WaitForSelectorAsync("html[lang='bn']");
        await business.FillAsync("#Input_Name", "ঝিনুক কারুশিল্প " + token);
        await business.SelectOptionAsync("#Input_Membership", "women_chamber");
        await business.FillAsync("#Input_MembershipNumber", "WC-" + token);
        await business.FillAsync("#Input_TradeLicenceNumber", "TRAD/CXB/" + token);
        await business.SelectOptionAsync("#Input_SectorCode", "handicrafts");
        await business.FillAsync("#Input_ContactPerson", "রোকেয়া বেগম");
        await business.FillAsync("#Input_ContactPhone", "01711-000000");
        await business.FillAsync("#Input_Address", "প্রধান সড়ক, উখিয়া");
        await business.SelectOptionAsync("#UpazilaCode", "ukhia");
        await business.FillAsync("#Password", "coral reef morning tide");
        await business.FillAsync("#ConfirmPassword", "coral reef morning tide");
        await business.ClickAsync("main form button.primary[type=submit]");
        await business.Locator("#sign-in-name").WaitForAsync();
        Assert.Contains("আপনার সাইন-ইন নাম", await business.ContentAsync());
        Assert.True(await business.EvaluateAsync<bool>("document.documentElement.scrollWidth <= 390"), "the page scrolls sideways at 390 px");
        await Shot(business, "registered-bn-390");

        var chamber = await NewPageAsync(browser, Desktop);
        await SignInStaffAsync(chamber, app, chamberAdmin.UserName);
        await chamber.ClickAsync("a[href='/chamber/employers']");
        await chamber.ClickAsync($"text=ঝিনুক কারুশিল্প {token}");
        await chamber.ClickAsync("form[action*='handler=Verify'] button");
        await chamber.Locator("p.notice[role=status]").WaitForAsync();

        await business.ClickAsync("a[href='/employer']");
        await business.ClickAsync("a[href='/employer/vacancy']");
        await business.FillAsync("#Input_TitleEn", title);
        await business.FillAsync("#Input_TitleBn", "ঝিনুক কারুশিল্প সহকারী " + token);
        await business.FillAsync("#Input_DescriptionEn", "Helping to make crafts from shells in our workshop.");
        await business.FillAsync("#Input_DescriptionBn", "আমাদের কারখানায় ঝিনুক দিয়ে কারুশিল্প তৈরিতে সহায়তা।");
        await business.SelectOptionAsync("#Input_SectorCode", "handicrafts");
        await business.FillAsync("#Input_Isco08", "7317");
        await business.SelectOptionAsync("#Input_UpazilaCode", "ukhia");
        await business.FillAsync("#Input_WageMinBdt", "12000");
        await business.FillAsync("#Input_WageMaxBdt", "16000");
        await business.SelectOptionAsync("#Input_Kind", "wage");
        await business.FillAsync("#Input_Openings", "1");
        await business.FillAsync("#Input_ClosingDate", DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        // At least one skill is wanted: show the sector's skills (the form keeps what was typed) and tick one.
        await business.SelectOptionAsync("#SkillSector", "handicrafts");
        await business.ClickAsync("button[formaction*='handler=Skills'], button[name='handler'][value='Skills'], fieldset button[type=submit]");
        await business.CheckAsync("#skill-HND-001");
        Assert.Equal(title, await business.InputValueAsync("#Input_TitleEn"));
        await business.ClickAsync("main form button.primary[type=submit]");
        await business.WaitForURLAsync(url => url.Contains("/employer#vacancy-", StringComparison.Ordinal));
        var id = long.Parse(new Uri(business.Url).Fragment["#vacancy-".Length..], CultureInfo.InvariantCulture);
        await business.ClickAsync($"#vacancy-{id} form[action*='handler=Publish'] button");
        await business.Locator($"#vacancy-{id} a[href='/employer/vacancies/{id}/shortlist']").WaitForAsync();

        var visitor = await NewPageAsync(browser, Phone);
        await visitor.GotoAsync(app.BaseUrl + "/jobs?q=" + Uri.EscapeDataString(token));
        Assert.Contains(title, await visitor.ContentAsync());
    }

    [BrowserFact]
    public async Task Admin_CreatesAgencyAndInvitesCaseWorker_WhoSetsPasswordEnrolsTotpAndRegistersASeeker()
    {
        await using var app = new BrowserApp(database);
        using var _ = app.CreateClient();
        var platform = await TestUsers.CreateOrganisationAsync(app.Services, "platform");
        var admin = await TestUsers.CreateUserAsync(app.Services, Roles.Admin, platform);
        var token = Guid.NewGuid().ToString("N")[..8];
        var workerName = $"worker-{token}@agency.example";
        await using var session = await chromium.SessionAsync();
        var browser = session.Browser;

        var adminPage = await NewPageAsync(browser, Desktop);
        await SignInStaffAsync(adminPage, app, admin.UserName);
        await adminPage.ClickAsync("a[href='/admin/organisations']");
        await adminPage.SelectOptionAsync("#Kind", "case_agency");
        await adminPage.FillAsync("#Name", "Coastal Protection " + token);
        await adminPage.ClickAsync("form[action*='handler=Create'] button");
        await adminPage.FillAsync("#UserName", workerName);
        await adminPage.FillAsync("#DisplayName", "Nasrin Akter");
        await adminPage.CheckAsync("#Lead");
        await adminPage.ClickAsync("form[action*='handler=Invite'] button");
        var link = await adminPage.InputValueAsync("#invitation-link");

        var worker = await NewPageAsync(browser, Phone);
        await worker.GotoAsync(link);
        await worker.FillAsync("#Password", "mangrove river evening");
        await worker.FillAsync("#ConfirmPassword", "mangrove river evening");
        await worker.ClickAsync("main form button.primary[type=submit]");
        await worker.ClickAsync("main a[href='/account/login']");
        await worker.FillAsync("#UserName", workerName);
        await worker.FillAsync("#Password", "mangrove river evening");
        await worker.ClickAsync("main form button[type=submit]");
        await worker.WaitForURLAsync("**/account/enrol-authenticator**");
        TestAuthenticator.Remember(workerName, TestAuthenticator.KeyOnPage(await worker.ContentAsync()));
        await worker.FillAsync("#Code", await TestAuthenticator.NextCodeAsync(workerName));
        await worker.ClickAsync("main form button[type=submit]");
        await worker.WaitForURLAsync(url => url.Contains("/casework", StringComparison.Ordinal));

        await worker.ClickAsync("a[href='/casework/register']");
        await worker.FillAsync("#FullName", "Test Seeker " + token);
        await worker.FillAsync("#FirstName", "Test");
        await worker.FillAsync("#Phone", "017" + Random.Shared.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture));
        await worker.SelectOptionAsync("#Profile_UpazilaCode", "ukhia");
        await worker.SelectOptionAsync("#ConsentMethod", "in_person");
        await worker.ClickAsync("main form button.primary[type=submit]");
        await worker.WaitForURLAsync("**/casework/seekers/**");
        await Shot(worker, "invited-case-worker-registered-seeker");
    }

    private static async Task SignInStaffAsync(IPage page, BrowserApp app, string userName)
    {
        await page.GotoAsync(app.BaseUrl + "/account/login");
        await page.FillAsync("#UserName", userName);
        await page.FillAsync("#Password", TestUsers.Password);
        await page.ClickAsync("main form button[type=submit]");
        await page.WaitForURLAsync("**/account/two-factor**");
        await page.FillAsync("#Code", await TestAuthenticator.NextCodeAsync(userName));
        await page.ClickAsync("main form button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/account/", StringComparison.Ordinal));
    }

    private static async Task<IPage> NewPageAsync(IBrowser browser, ViewportSize viewport)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = viewport });
        // A bound, not a timing assertion: on the shared 2-core machine under load a first page took over 15 s.
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        return await context.NewPageAsync();
    }

    private static Task Shot(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ScreenshotPath("onboarding-" + name), FullPage = true });
}
