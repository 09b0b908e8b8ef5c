using System.Net;
using System.Net.Http.Json;
using Dapper;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Matching;

/// <summary>Retention check-in answers: still employed, left (alerting the seeker's case workers), own matches only.</summary>
[Collection(PostgresCollection.Name)]
public sealed class OffersCheckinTests(PostgresFixture database, SharedApp shared) : IClassFixture<SharedApp>
{
    private readonly JobMatchApp _app = shared.For(database); // one host for the class (SharedApp)
    private readonly OffersWorld _world = new(shared.For(database));

    [Fact]
    public async Task LeftAnswer_ClosesTheLaterCheckins_AndEnqueuesAnAlertForEachCaseWorkerOfTheAgency()
    {
        var hire = await HireAsync(startedDaysAgo: 40);
        var caseWorkers = new[] { await _app.CreateUserAsync(Roles.CaseWorker, hire.Agency), await _app.CreateUserAsync(Roles.CaseWorker, hire.Agency) };
        var otherAgencyWorker = await _app.CreateUserAsync(Roles.CaseWorker, await _world.World.AgencyAsync());
        var (client, _) = await _app.SignedInClientAsync(Roles.Employer, hire.Employer);

        var page = await client.GetStringAsync("/employer/checkins");
        var leftOn = DateTime.UtcNow.AddDays(-3).ToString("yyyy-MM-dd");
        var response = await client.PostAsync("/employer/checkins?handler=Left", OffersTests.Form(JobMatchApp.FormToken(page),
            ("checkinId", hire.Checkins[1].ToString()), ("leftOn", leftOn), ("reason", "better_job")));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var c = await database.DataSource.OpenConnectionAsync();
        // The employer knows the hire by the vacancy's own handle, never by the reference case work uses (issue 13).
        Assert.Contains((await c.ExecuteScalarAsync<string>("SELECT handle FROM match WHERE id = @Match", new { hire.Match }))!, page);
        Assert.DoesNotContain(hire.Reference, page);
        var statuses = (await c.QueryAsync<(int, string, string?)>(
            "SELECT months, status, left_reason FROM retention_checkin WHERE match_id = @Match ORDER BY months", new { hire.Match })).ToList();
        Assert.Equal([(1, "left", "better_job"), (3, "left", "better_job"), (6, "left", "better_job")], statuses);
        var alerts = (await c.QueryAsync<(string Kind, string RecipientId, string Template, string Args)>(
            """
            SELECT recipient_kind, recipient_id, template, template_args::text FROM outbox_message
            WHERE recipient_id = ANY (@ids)
            """, new { ids = caseWorkers.Append(otherAgencyWorker).Select(u => u.Id.ToString()).ToArray() })).ToList();
        Assert.Equal(caseWorkers.Select(u => u.Id.ToString()).Order(), alerts.Select(a => a.RecipientId).Order());
        Assert.All(alerts, a =>
        {
            Assert.Equal(("user", "generic_notification"), (a.Kind, a.Template));
            Assert.Contains("/casework/offers", a.Args);
            Assert.DoesNotContain(hire.Reference, a.Args);
        });
        Assert.NotNull(await c.ExecuteScalarAsync<DateTime?>("SELECT case_worker_alerted_at FROM retention_checkin WHERE id = @id", new { id = hire.Checkins[1] }));

        var (caseWorkerClient, _) = await SignInAsync(caseWorkers[0]);
        Assert.Contains(hire.Reference, await caseWorkerClient.GetStringAsync("/casework/offers"));
    }

    [Fact]
    public async Task StillEmployed_ClosesADueCheckin_ButNotOneThatIsNotDueYet()
    {
        var hire = await HireAsync(startedDaysAgo: 40);
        var (client, _) = await _app.SignedInClientAsync(Roles.Employer, hire.Employer);
        await JobMatchApp.UseApiTokenAsync(client);

        var due = await client.PostAsJsonAsync($"/api/employer/checkins/{hire.Checkins[1]}", new { answer = "still_employed" });
        var notDue = await client.PostAsJsonAsync($"/api/employer/checkins/{hire.Checkins[3]}", new { answer = "still_employed" });
        var again = await client.PostAsJsonAsync($"/api/employer/checkins/{hire.Checkins[1]}", new { answer = "still_employed" });
        var futureLeave = await client.PostAsJsonAsync($"/api/employer/checkins/{hire.Checkins[3]}",
            new { answer = "left", leftOn = DateTime.UtcNow.AddDays(5).ToString("yyyy-MM-dd"), reason = "resigned" });

        Assert.Equal(HttpStatusCode.NoContent, due.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notDue.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, futureLeave.StatusCode);
        await using var c = await database.DataSource.OpenConnectionAsync();
        Assert.Equal(["still_employed", "pending", "pending"],
            await c.QueryAsync<string>("SELECT status FROM retention_checkin WHERE match_id = @Match ORDER BY months", new { hire.Match }));
    }

    [Fact]
    public async Task AnotherEmployer_Gets404_AndDoesNotSeeTheCheckin()
    {
        var hire = await HireAsync(startedDaysAgo: 40);
        var (client, _) = await _app.SignedInClientAsync(Roles.Employer, await _world.World.EmployerAsync());
        await JobMatchApp.UseApiTokenAsync(client);

        var list = await client.GetStringAsync("/api/employer/checkins");
        var page = await client.GetStringAsync("/employer/checkins");
        var response = await client.PostAsJsonAsync($"/api/employer/checkins/{hire.Checkins[1]}",
            new { answer = "left", leftOn = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd"), reason = "resigned" });

        Assert.DoesNotContain(hire.Reference, list);
        Assert.DoesNotContain(hire.Reference, page);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private sealed record Hire(Guid Agency, Guid Employer, string Reference, long Match, Dictionary<int, long> Checkins);

    /// <summary>A hire that started some days ago, with check-ins at 1, 3 and 6 months (as the scheduling job writes them).</summary>
    private async Task<Hire> HireAsync(int startedDaysAgo)
    {
        var agency = await _world.World.AgencyAsync();
        var (id, reference) = await _world.World.SeekerAsync(agency, []);
        var (employer, vacancy) = await _world.VacancyAsync();
        var match = await _world.MatchAsync(id, vacancy, "accepted", "hired");
        await using var c = await database.DataSource.OpenConnectionAsync();
        await c.ExecuteAsync("UPDATE match SET hired_start_date = current_date - @startedDaysAgo WHERE id = @match", new { startedDaysAgo, match });
        var checkins = new Dictionary<int, long>();
        foreach (var months in new[] { 1, 3, 6 })
        {
            checkins[months] = await c.ExecuteScalarAsync<long>(
                """
                INSERT INTO retention_checkin (match_id, months, due_on)
                VALUES (@match, @months, (current_date - @startedDaysAgo + make_interval(months => @months))::date) RETURNING id
                """, new { match, months, startedDaysAgo });
        }
        return new Hire(agency, employer, reference, match, checkins);
    }

    private async Task<(HttpClient, AppUser)> SignInAsync(AppUser user)
    {
        var client = _app.CreatePlainClient();
        await JobMatchApp.SignInAsync(client, user.UserName!, JobMatchApp.Password);
        return (client, user);
    }
}
