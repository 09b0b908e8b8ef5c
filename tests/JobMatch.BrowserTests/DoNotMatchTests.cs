using System.Net;
using System.Net.Http.Json;
using Dapper;
using JobMatch.Identity;
using JobMatch.Matching;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Matching;
using JobMatch.Tests.Seekers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace JobMatch.BrowserTests;

/// <summary>
/// A case worker's safety decision acts at once: with the employer's shortlist open in its own browser session, the
/// case worker adds that employer to the seeker's do-not-match rules in the profile form, and the employer's next
/// refresh no longer shows the candidate (and the candidate's page answers 404).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DoNotMatchTests(PostgresFixture database, ChromiumFixture chromium)
{
    private const string Skill = "HND-005";

    [BrowserFact]
    public async Task Shortlist_NoLongerShowsTheCandidate_OnTheEmployersNextRefresh_AfterTheCaseWorkerBlocksTheEmployer()
    {
        await using var app = new BrowserApp(database, FlowWorld.Settings());
        using var _ = app.CreateClient(); // starts the server
        using var api = app.CreatePlainClient();
        var sql = new MatchingWorld(database.DataSource);
        var employerId = await sql.EmployerAsync();
        var employerUser = await TestUsers.CreateUserAsync(app.Services, Roles.Employer, employerId);
        var agency = await TestUsers.CreateOrganisationAsync(app.Services, "case_agency", "Agency " + Guid.NewGuid().ToString("N")[..8]);
        var caseWorkerUser = await TestUsers.CreateUserAsync(app.Services, Roles.CaseWorker, agency);
        Assert.Equal(HttpStatusCode.Redirect, (await JobMatchApp.SignInAsync(api, caseWorkerUser.UserName!, TestUsers.Password)).StatusCode);
        await JobMatchApp.UseApiTokenAsync(api);
        var reference = await SeekerApi.RegisterAsync(api, SeekerApi.Canaries.New(), upazila: "coxs_bazar_sadar");
        Assert.Equal(HttpStatusCode.NoContent, (await api.PutAsJsonAsync($"/api/casework/seekers/{reference}/skills/{Skill}",
            new { level = 3, source = "assessed", monthsExperience = 18 })).StatusCode);
        var vacancy = await sql.VacancyAsync(employerId, (Skill, 2, true));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<MatchProposer>().ProposeForVacancyAsync(vacancy, CancellationToken.None);
        }
        await using var db = await database.DataSource.OpenConnectionAsync();
        var (matchId, handle) = await db.QuerySingleAsync<(long, string)>(
            "SELECT m.id, m.handle FROM match m JOIN seeker s ON s.id = m.seeker_id WHERE m.vacancy_id = @vacancy AND s.reference = @reference",
            new { vacancy, reference });
        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsync($"/api/casework/review/{matchId}/approve", null)).StatusCode);

        await using var session = await chromium.SessionAsync();
        var browser = session.Browser;
        var employer = await NewPageAsync(browser);
        await MatchJourneyTests.SignInAsync(employer, app, employerUser.UserName!, staff: false);
        await employer.GotoAsync($"{app.BaseUrl}/employer/vacancies/{vacancy}/shortlist");
        Assert.Equal(1, await employer.Locator($"#candidate-{handle}").CountAsync()); // control: the card is there

        var caseWorker = await NewPageAsync(browser);
        await MatchJourneyTests.SignInAsync(caseWorker, app, caseWorkerUser.UserName!, staff: true);
        await caseWorker.GotoAsync($"{app.BaseUrl}/casework/seekers/{reference}/profile");
        await caseWorker.SelectOptionAsync("#BlockedEmployerIds", employerId.ToString()); // a picker by name (issue 16)
        await caseWorker.Locator("form[action*='handler=Rules'] button[type=submit]").ClickAsync();
        await caseWorker.WaitForURLAsync("**/profile?saved=true");

        await employer.ReloadAsync();
        Assert.Equal(0, await employer.Locator($"#candidate-{handle}").CountAsync());
        var candidatePage = await employer.GotoAsync($"{app.BaseUrl}/employer/vacancies/{vacancy}/candidates/{handle}");
        Assert.Equal(404, candidatePage!.Status);
        Assert.Equal("withdrawn", await db.ExecuteScalarAsync<string>("SELECT status FROM match WHERE id = @matchId", new { matchId }));
    }

    private static async Task<IPage> NewPageAsync(IBrowser browser)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(15_000);
        context.SetDefaultNavigationTimeout(15_000);
        return await context.NewPageAsync();
    }
}
