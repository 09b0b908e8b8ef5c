using System.Net;
using System.Net.Http.Json;
using Dapper;
using JobMatch.BackgroundJobs;
using JobMatch.Identity;
using JobMatch.Tests.BackgroundJobs;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Matching;
using JobMatch.Tests.Seekers;
using JobMatch.Tests.Sms;
using Microsoft.Playwright;

namespace JobMatch.BrowserTests;

/// <summary>
/// Issue 15's journey with a real browser and a real gateway: the employer invites in Chromium, the seeker's phone is
/// Kannel's fake SMSC (fakesmsc), and the seeker answers by replying "হ্যাঁ ৪৮২১" from that phone. The app listens on
/// the port Kannel calls back (replies and delivery reports), as one node of a deployment would.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class AnswerBySmsJourneyTests(PostgresFixture database, ChromiumFixture chromium)
{
    private const string Skill = "HND-005";
    private const string TitleBn = "দর্জি";
    private const float StepTimeoutMs = 15_000;

    [BrowserFact(Kannel = true)]
    public async Task BanglaReplyFromThePhone_AcceptsTheOffer_AndTheEmployerSeesNameAndPhone_WhenInvitedInTheBrowser()
    {
        // Without Kannel this throws (under CI the attribute does not skip): the test fails saying what is missing.
        await using var gateway = await KannelGateway.StartAsync();
        var settings = KannelFixture.Settings(gateway);
        settings.Remove("Kestrel:Endpoints:Http:Url"); // the factory binds the port itself (a second binding of it would fail)
        await using var app = new BrowserApp(database, settings, gateway.AppPort);
        using var _ = app.CreateClient(); // starts the server
        var people = await ArrangeAsync(app);
        var phone = SmsWorld.FakePhone(people.Seeker.Phone);

        await using var session = await chromium.SessionAsync();
        var browser = session.Browser;
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new() { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(StepTimeoutMs);
        context.SetDefaultNavigationTimeout(StepTimeoutMs);
        var employer = await context.NewPageAsync();

        // Employer: home → the vacancy's shortlist → invite the anonymous candidate through the real button.
        await MatchJourneyTests.SignInAsync(employer, app, people.EmployerUser, staff: false);
        await employer.ClickAsync($"#vacancy-{people.VacancyId} a[href='/employer/vacancies/{people.VacancyId}/shortlist']");
        var card = employer.Locator($"#candidate-{people.Handle}");
        await card.WaitForAsync();
        await card.Locator("form[action*='handler=Invite'] button").ClickAsync();
        await employer.WaitForURLAsync($"**/employer/vacancies/{people.VacancyId}/candidates/{people.Handle}");
        Assert.Equal("invited", await StatusAsync(people.MatchId));
        Assert.DoesNotContain(people.Seeker.Name, await employer.ContentAsync());

        // The outbox run that Hangfire's recurring job makes every few seconds (its server is off in tests), until the
        // phone has the offer: Bangla, decoded from UCS-2, with the job and what accepting shares, but no name.
        var offer = await OfferAsync(app, gateway, phone);
        Assert.Equal("ucs-2", offer.Type);
        Assert.Contains(TitleBn, offer.Text);
        Assert.Contains("নাম ও ফোন পাবেন", offer.Text);
        Assert.DoesNotContain(people.Seeker.Name, offer.Text);
        var code = SmsWorld.CodeIn(offer.Text);

        // The seeker replies from the phone, in Bangla words and digits; the reply Kannel sends back is the confirmation.
        await gateway.InjectAsync(phone, "হ্যাঁ " + SmsWorld.Bangla(code));
        await gateway.WaitForAsync(phone, m => m.Text.Contains("আপনি রাজি", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Equal("accepted", await StatusAsync(people.MatchId));

        // Employer: the same candidate page, reloaded, now shows the name and phone.
        await employer.ReloadAsync();
        var contact = await employer.InnerTextAsync($"#candidate-{people.Handle}");
        Assert.Contains(people.Seeker.Name, contact);
        Assert.Contains(people.Seeker.Phone.Replace("+88", "", StringComparison.Ordinal), contact);
        await employer.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ScreenshotPath("sms-employer-candidate-accepted"), FullPage = true });

        // One offer and one confirmation: nothing sent twice.
        Assert.Equal(2, gateway.CountTo(phone));
    }

    private static async Task<KannelGateway.Received> OfferAsync(BrowserApp app, KannelGateway gateway, string phone)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await DomainJobsData.RunAsync<DispatchOutbox>(app.Services, job => job.RunAsync(CancellationToken.None));
            var offer = gateway.Messages().FirstOrDefault(m => m.To.TrimStart('+') == phone && m.Text.Contains("কাজের প্রস্তাব", StringComparison.Ordinal));
            if (offer is not null) return offer;
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The offer SMS did not reach the phone within 60 s. Received: "
                    + string.Join(" | ", gateway.Messages().Where(m => m.To.TrimStart('+') == phone).Select(m => m.Text)));
            }
            await Task.Delay(1000);
        }
    }

    private sealed record People(string EmployerUser, SeekerApi.Canaries Seeker, long VacancyId, long MatchId, string Handle);

    /// <summary>
    /// Arranged outside the browser (the invitation is the step under test): a verified employer with an open vacancy
    /// titled in Bangla, a seeker registered by a case worker with the vacancy's skill and consent to be notified, and
    /// the proposal approved by that case worker.
    /// </summary>
    private async Task<People> ArrangeAsync(BrowserApp app)
    {
        var sql = new MatchingWorld(database.DataSource);
        var employerId = await sql.EmployerAsync();
        var employer = await TestUsers.CreateUserAsync(app.Services, Roles.Employer, employerId);
        var vacancyId = await sql.VacancyAsync(employerId, (Skill, 2, true));
        var agency = await TestUsers.CreateOrganisationAsync(app.Services, "case_agency", "CANARYAGENCY" + Guid.NewGuid().ToString("N")[..8]);
        var caseWorker = await TestUsers.CreateUserAsync(app.Services, Roles.CaseWorker, agency);
        await using (var c = await database.DataSource.OpenConnectionAsync())
        {
            await c.ExecuteAsync("UPDATE vacancy SET title_bn = @TitleBn WHERE id = @vacancyId", new { TitleBn, vacancyId });
            await c.ExecuteAsync("UPDATE organisation SET requires_match_review = true WHERE id = @agency", new { agency });
        }

        using var api = app.CreatePlainClient();
        Assert.Equal(HttpStatusCode.Redirect, (await JobMatchApp.SignInAsync(api, caseWorker.UserName!, TestUsers.Password)).StatusCode);
        await JobMatchApp.UseApiTokenAsync(api);
        var canaries = SeekerApi.Canaries.New();
        var reference = await SeekerApi.RegisterAsync(api, canaries);
        Assert.Equal(HttpStatusCode.NoContent, (await api.PutAsJsonAsync($"/api/casework/seekers/{reference}/skills/{Skill}",
            new { level = 3, source = "assessed", monthsExperience = 18 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync($"/api/casework/seekers/{reference}/consents",
            new { purpose = "notifications", method = "in_person", channels = new[] { "sms", "email" } })).StatusCode);

        await DomainJobsData.RunAsync<ProposeMatchesForVacancy>(app.Services, job => job.RunAsync(vacancyId, CancellationToken.None));
        await using var db = await database.DataSource.OpenConnectionAsync();
        var (matchId, handle) = await db.QuerySingleAsync<(long, string)>(
            "SELECT m.id, m.handle FROM match m JOIN seeker s ON s.id = m.seeker_id WHERE m.vacancy_id = @vacancyId AND s.reference = @reference",
            new { vacancyId, reference });
        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsync($"/api/casework/review/{matchId}/approve", null)).StatusCode);
        return new People(employer.UserName!, canaries, vacancyId, matchId, handle);
    }

    private async Task<string> StatusAsync(long matchId)
    {
        await using var c = await database.DataSource.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<string>("SELECT status FROM match WHERE id = @matchId", new { matchId }) ?? "";
    }
}
