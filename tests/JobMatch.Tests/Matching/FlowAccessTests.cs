using System.Net;
using System.Net.Http.Json;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Matching;

/// <summary>security.md R8: own vacancies only (404 otherwise), nothing without a vacancy, 429 past the hourly limit.</summary>
[Collection(PostgresCollection.Name)]
public sealed class FlowAccessTests(PostgresFixture database)
{
    [Fact]
    public async Task AnotherEmployer_GetsNotFound_OnShortlistCandidateAndActions()
    {
        await using var app = new JobMatchApp(database, FlowWorld.Settings());
        var world = new FlowWorld(app, database);
        var worker = await world.CaseWorkerAsync();
        var seeker = await world.SeekerAsync(worker);
        var owner = await world.EmployerAsync();
        var vacancy = await world.VacancyAsync(owner.Id);
        var matchId = await world.ProposeAndApproveAsync(vacancy, worker, seeker);
        var stranger = await world.EmployerAsync();
        await world.VacancyAsync(stranger.Id); // a vacancy of its own does not open anyone else's

        string[] reads =
        [
            $"/api/employer/vacancies/{vacancy}/shortlist", $"/api/employer/vacancies/{vacancy}/candidates/{await world.HandleAsync(vacancy, seeker.Id)}",
            $"/employer/vacancies/{vacancy}/shortlist", $"/employer/vacancies/{vacancy}/candidates/{await world.HandleAsync(vacancy, seeker.Id)}",
        ];
        foreach (var path in reads)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await owner.Client.GetAsync(path)).StatusCode);
        }
        var invite = await stranger.Client.PostAsync($"/api/employer/vacancies/{vacancy}/candidates/{await world.HandleAsync(vacancy, seeker.Id)}/invite", null);
        var outcome = await stranger.Client.PostAsJsonAsync($"/api/employer/vacancies/{vacancy}/candidates/{await world.HandleAsync(vacancy, seeker.Id)}/outcome",
            new { outcome = "withdrawn" });
        Assert.Equal(HttpStatusCode.NotFound, invite.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, outcome.StatusCode);
        Assert.Equal("shown", await world.StatusAsync(matchId));
    }

    [Fact]
    public async Task EmployerWithoutVacancy_SeesNoCandidates()
    {
        await using var app = new JobMatchApp(database, FlowWorld.Settings());
        var world = new FlowWorld(app, database);
        var worker = await world.CaseWorkerAsync();
        var seeker = await world.SeekerAsync(worker);
        var owner = await world.EmployerAsync();
        var vacancy = await world.VacancyAsync(owner.Id);
        await world.ProposeAndApproveAsync(vacancy, worker, seeker);
        var empty = await world.EmployerAsync();

        // There is no route to candidates except through a vacancy; every vacancy id the employer tries is not found.
        foreach (var id in new[] { vacancy, vacancy + 1, 1 })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await empty.Client.GetAsync($"/api/employer/vacancies/{id}/shortlist")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await empty.Client.GetAsync($"/api/employer/vacancies/{vacancy}/candidates/{await world.HandleAsync(vacancy, seeker.Id)}")).StatusCode);
    }

    [Fact]
    public async Task CandidateViews_AnswerTooManyRequests_PastTheHourlyLimitOfTheOrganisation()
    {
        await using var app = new JobMatchApp(database, FlowWorld.Settings(viewsPerHour: 4));
        var world = new FlowWorld(app, database);
        var worker = await world.CaseWorkerAsync();
        var seeker = await world.SeekerAsync(worker);
        var employer = await world.EmployerAsync();
        var vacancy = await world.VacancyAsync(employer.Id);
        await world.ProposeAndApproveAsync(vacancy, worker, seeker);
        var candidate = $"/api/employer/vacancies/{vacancy}/candidates/{await world.HandleAsync(vacancy, seeker.Id)}";
        var (colleague, _) = await app.SignedInClientAsync(JobMatch.Identity.Roles.Employer, employer.Id);
        var otherEmployer = await world.EmployerAsync();

        var allowed = new[]
        {
            await employer.Client.GetAsync(candidate), await employer.Client.GetAsync($"/api/employer/vacancies/{vacancy}/shortlist"),
            await employer.Client.GetAsync($"/employer/vacancies/{vacancy}/candidates/{await world.HandleAsync(vacancy, seeker.Id)}"), await colleague.GetAsync(candidate),
        };
        var refused = new[]
        {
            await employer.Client.GetAsync(candidate), await colleague.GetAsync($"/employer/vacancies/{vacancy}/shortlist"),
            await employer.Client.GetAsync($"/api/employer/vacancies/{vacancy}/shortlist"),
        };

        Assert.All(allowed, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.All(refused, r => Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode));
        // The count is per organisation: another employer is not affected.
        Assert.Equal(HttpStatusCode.NotFound, (await otherEmployer.Client.GetAsync(candidate)).StatusCode);
    }

    [Fact]
    public async Task ShortlistPageSize_IsCapped()
    {
        await using var app = new JobMatchApp(database, new Dictionary<string, string?>(FlowWorld.Settings()) { ["Matching:ShortlistPageSize"] = "2" });
        var world = new FlowWorld(app, database);
        var worker = await world.CaseWorkerAsync(requiresReview: false);
        var employer = await world.EmployerAsync();
        var vacancy = await world.VacancyAsync(employer.Id);
        for (var i = 0; i < 3; i++) await world.SeekerAsync(worker);
        await world.ProposeAsync(vacancy);

        var page = await employer.Client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/employer/vacancies/{vacancy}/shortlist?pageSize=1000");

        Assert.Equal(2, page.GetProperty("candidates").GetArrayLength());
        Assert.Equal(2, page.GetProperty("pageSize").GetInt32());
        Assert.True(page.GetProperty("total").GetInt32() >= 3);
    }
}
