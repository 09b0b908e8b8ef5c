using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using JobMatch.Matching;
using JobMatch.MatchingContract;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Matching;

/// <summary>
/// Issue 16, wage floor where it helps: a hire below the sector minimum or far below the posted range
/// (<see cref="OutcomeRecorder.FarBelowPostedShare"/>) is not recorded until the employer confirms it (API: a 400
/// problem document with a code; page: a confirm step that keeps what was typed), and a confirmed one alerts the
/// seeker's case workers on their home page and by e-mail. The test vacancy is garments (floor 12,500), posted 12,000-16,000.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class HireWageTests(PostgresFixture database, SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task Hire_AsksConfirmation_WhenBelowFloorOrFarBelowPosted_ThenAlertsCaseWorker_Api()
    {
        var app = shared.For(database, FlowWorld.Settings());
        var (world, worker, seeker, matchId, url) = await InterviewedAsync(app);
        var employer = world.Employer!;

        var refused = await employer.Client.PostAsJsonAsync(url, Hire(500));
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        var statusAfterRefusal = await world.World.StatusAsync(matchId);
        var confirmed = await employer.Client.PostAsJsonAsync(url, Hire(500, confirmed: true));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("wage_needs_confirmation", problem.GetProperty("code").GetString());
        Assert.Equal(12500, problem.GetProperty("sectorMinimumBdt").GetInt32());
        Assert.Equal(12000, problem.GetProperty("postedMinimumBdt").GetInt32());
        Assert.Equal(MatchStatus.Interviewed, statusAfterRefusal);
        Assert.Equal(HttpStatusCode.NoContent, confirmed.StatusCode);
        Assert.Equal(MatchStatus.Hired, await world.World.StatusAsync(matchId));
        await using var c = await database.DataSource.OpenConnectionAsync();
        Assert.Equal(500, await c.ExecuteScalarAsync<int>("SELECT hired_monthly_wage_bdt FROM match WHERE id = @matchId", new { matchId }));
        Assert.Equal(1, await c.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM outbox_message WHERE template = 'low_wage_hire' AND recipient_kind = 'user' AND recipient_id = @id",
            new { id = worker.UserId.ToString() }));
        var args = await c.ExecuteScalarAsync<string>("SELECT template_args::text FROM outbox_message WHERE dedupe_key = @key",
            new { key = $"low_wage_hire:{matchId}:{worker.UserId}" });
        Assert.Contains(seeker.Reference, args);
        Assert.DoesNotContain(seeker.Canaries.Name, args);
        var home = await worker.Client.GetStringAsync("/casework");
        Assert.Contains($"{seeker.Reference}: a hire was recorded at a low wage", home);
    }

    [Theory]
    [InlineData(12400, 12000, true, false)]   // under the floor, within a fifth of the posted minimum
    [InlineData(15000, 20000, false, true)]   // above the floor, under 80 % of the posted minimum
    [InlineData(16500, 20000, false, false)]  // above both: recorded at once
    public async Task Hire_NamesEachReason_OnlyWhenItApplies(int wage, int postedMin, bool floor, bool posted)
    {
        var app = shared.For(database, FlowWorld.Settings());
        var (world, _, _, matchId, url) = await InterviewedAsync(app);
        await using (var c = await database.DataSource.OpenConnectionAsync())
        {
            await c.ExecuteAsync("UPDATE vacancy SET wage_min_bdt = @postedMin, wage_max_bdt = @postedMin + 4000 WHERE id = (SELECT vacancy_id FROM match WHERE id = @matchId)",
                new { postedMin, matchId });
        }

        var response = await world.Employer!.Client.PostAsJsonAsync(url, Hire(wage));

        if (!floor && !posted)
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            return;
        }
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(floor, problem.GetProperty("sectorMinimumBdt").ValueKind == JsonValueKind.Number);
        Assert.Equal(posted, problem.GetProperty("postedMinimumBdt").ValueKind == JsonValueKind.Number);
    }

    [Fact]
    public async Task Hire_ShowsConfirmStepKeepingInput_ThenRecordsWhenTicked_Page()
    {
        var app = shared.For(database, FlowWorld.Settings());
        var (world, worker, seeker, matchId, url) = await InterviewedAsync(app);
        var client = world.Employer!.Client;
        var page = url[4..^"/outcome".Length]; // the page behind the API route
        var form = new Dictionary<string, string>
        {
            ["Form.Outcome"] = "hired", ["Form.StartDate"] = DateTime.UtcNow.ToString("yyyy-MM-dd"), ["Form.MonthlyWageBdt"] = "500", ["Form.WrittenContract"] = "true",
        };

        form["__RequestVerificationToken"] = await JobMatchApp.FormTokenAsync(client, page);
        var step = await client.PostAsync($"{page}?handler=Outcome", new FormUrlEncodedContent(form));
        var html = await step.Content.ReadAsStringAsync();
        form["__RequestVerificationToken"] = JobMatchApp.FormToken(html);
        form["Form.Confirmed"] = "true";
        var done = await client.PostAsync($"{page}?handler=Outcome", new FormUrlEncodedContent(form));

        Assert.Equal(HttpStatusCode.BadRequest, step.StatusCode);
        Assert.Contains("id=\"wage-concern\"", html);
        Assert.Contains("12,500", html);                     // the sector minimum it is under
        Assert.Contains("name=\"Form.MonthlyWageBdt\" value=\"500\"", html);
        Assert.Contains("name=\"Form.Confirmed\"", html);
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal(MatchStatus.Hired, await world.World.StatusAsync(matchId));
        Assert.Contains($"{seeker.Reference}: a hire was recorded at a low wage", await worker.Client.GetStringAsync("/casework"));
    }

    private static object Hire(int wage, bool confirmed = false) =>
        new { outcome = "hired", startDate = DateTime.UtcNow.ToString("yyyy-MM-dd"), monthlyWageBdt = wage, writtenContract = true, confirmed };

    private sealed record Worlds(FlowWorld World, FlowWorld.Employer? Employer);

    /// <summary>A seeker who accepted the offer and was interviewed; the outcome API address of the match.</summary>
    private async Task<(Worlds World, FlowWorld.CaseWorker Worker, FlowWorld.Seeker Seeker, long MatchId, string Url)> InterviewedAsync(JobMatchApp app)
    {
        var world = new FlowWorld(app, database);
        var worker = await world.CaseWorkerAsync();
        var seeker = await world.SeekerAsync(worker);
        var employer = await world.EmployerAsync();
        var vacancy = await world.VacancyAsync(employer.Id);
        var matchId = await world.ProposeAndApproveAsync(vacancy, worker, seeker);
        var url = $"/api/employer/vacancies/{vacancy}/candidates/{await world.HandleAsync(vacancy, seeker.Id)}";
        Assert.Equal(HttpStatusCode.NoContent, (await employer.Client.PostAsync($"{url}/invite", null)).StatusCode);
        await world.AcceptAsync(worker, seeker, employer.Id, vacancy, matchId);
        Assert.Equal(HttpStatusCode.NoContent, (await employer.Client.PostAsJsonAsync($"{url}/outcome", new { outcome = "interviewed" })).StatusCode);
        return (new Worlds(world, employer), worker, seeker, matchId, $"{url}/outcome");
    }
}
