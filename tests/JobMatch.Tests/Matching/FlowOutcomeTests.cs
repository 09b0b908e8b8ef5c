using System.Net;
using System.Net.Http.Json;
using Dapper;
using JobMatch.Matching;
using JobMatch.MatchingContract;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Matching;

/// <summary>Invite and outcomes through the employer API: only allowed transitions, who and when recorded, hire places the seeker.</summary>
[Collection(PostgresCollection.Name)]
public sealed class FlowOutcomeTests(PostgresFixture database, SharedApp shared) : IClassFixture<SharedApp>
{
    private static readonly (string Action, string Target, object? Body)[] EmployerActions =
    [
        ("invite", MatchStatus.Invited, null),
        ("outcome", MatchStatus.Interviewed, new { outcome = "interviewed" }),
        ("outcome", MatchStatus.Hired, new { outcome = "hired", startDate = DateTime.UtcNow.ToString("yyyy-MM-dd"), monthlyWageBdt = 14000, writtenContract = true }),
        ("outcome", MatchStatus.NotSelected, new { outcome = "not_selected", reason = "position_filled" }),
        ("outcome", MatchStatus.Withdrawn, new { outcome = "withdrawn" }),
    ];

    [Fact]
    public async Task EveryEmployerAction_MovesOnlyWhereTheTransitionIsAllowed_ElseConflictAndNothingChanges()
    {
        var app = shared.For(database, FlowWorld.Settings());
        var world = new FlowWorld(app, database);
        var worker = await world.CaseWorkerAsync();
        var seeker = await world.SeekerAsync(worker);
        var employer = await world.EmployerAsync();
        var vacancy = await world.VacancyAsync(employer.Id);
        var matchId = await world.ProposeAndApproveAsync(vacancy, worker, seeker);
        var url = $"/api/employer/vacancies/{vacancy}/candidates/{await world.HandleAsync(vacancy, seeker.Id)}";
        var walked = 0;

        foreach (var from in MatchStatus.VisibleToEmployer)
        {
            foreach (var (action, target, body) in EmployerActions)
            {
                await world.SetStatusAsync(matchId, from);
                await ReactivateAsync(seeker.Id);
                var events = await world.EventCountAsync(matchId);

                var response = body is null ? await employer.Client.PostAsync($"{url}/{action}", null) : await employer.Client.PostAsJsonAsync($"{url}/{action}", body);

                if (MatchStatus.CanMove(from, target))
                {
                    Assert.True(response.StatusCode == HttpStatusCode.NoContent, $"{from} → {target}: {(int)response.StatusCode}");
                    Assert.Equal(target, await world.StatusAsync(matchId));
                    Assert.Equal(events + 1, await world.EventCountAsync(matchId));
                }
                else
                {
                    Assert.True(response.StatusCode == HttpStatusCode.Conflict, $"{from} → {target}: {(int)response.StatusCode}");
                    Assert.Equal(from, await world.StatusAsync(matchId));
                    Assert.Equal(events, await world.EventCountAsync(matchId));
                }
                walked++;
            }
        }
        Assert.Equal(MatchStatus.VisibleToEmployer.Length * EmployerActions.Length, walked);
    }

    [Fact]
    public async Task Hire_RecordsTermsAndActor_PlacesSeeker_AndSchedulesCheckins()
    {
        var app = shared.For(database, FlowWorld.Settings());
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
        var hire = await employer.Client.PostAsJsonAsync($"{url}/outcome", new { outcome = "hired", startDate = "2026-02-01", monthlyWageBdt = 15500, writtenContract = false });

        Assert.Equal(HttpStatusCode.NoContent, hire.StatusCode);
        await using var c = await database.DataSource.OpenConnectionAsync();
        var match = await c.QuerySingleAsync<(string Status, DateTime Start, int Wage, bool Contract)>(
            "SELECT status, hired_start_date, hired_monthly_wage_bdt, hired_written_contract FROM match WHERE id = @matchId", new { matchId });
        Assert.Equal(("hired", new DateTime(2026, 2, 1), 15500, false), match);
        Assert.Equal(3, MatchStatus.Label(match.Status));
        var last = await c.QuerySingleAsync<(string From, Guid? Actor, string Role)>(
            "SELECT from_status, actor_user_id, actor_role FROM match_event WHERE match_id = @matchId ORDER BY id DESC LIMIT 1", new { matchId });
        Assert.Equal(("interviewed", (Guid?)employer.UserId, "employer"), last);
        Assert.Equal("placed", await c.ExecuteScalarAsync<string>("SELECT status FROM seeker WHERE id = @id", new { id = seeker.Id }));
        var due = (await c.QueryAsync<DateTime>("SELECT due_on FROM retention_checkin WHERE match_id = @matchId ORDER BY months", new { matchId })).ToList();
        Assert.Equal([new DateTime(2026, 3, 1), new DateTime(2026, 5, 1), new DateTime(2026, 8, 1)], due);
        // Still visible to the employer after the hire, with the contact released for this vacancy.
        var card = await employer.Client.GetStringAsync(url);
        Assert.Contains(seeker.Canaries.Name, card);
    }

    [Fact]
    public async Task Outcome_IsBadRequest_WhenDetailsAreMissing_AndRecordsNothing()
    {
        var app = shared.For(database, FlowWorld.Settings());
        var world = new FlowWorld(app, database);
        var worker = await world.CaseWorkerAsync();
        var seeker = await world.SeekerAsync(worker);
        var employer = await world.EmployerAsync();
        var vacancy = await world.VacancyAsync(employer.Id);
        var matchId = await world.ProposeAndApproveAsync(vacancy, worker, seeker);
        await world.SetStatusAsync(matchId, MatchStatus.Interviewed);
        var url = $"/api/employer/vacancies/{vacancy}/candidates/{await world.HandleAsync(vacancy, seeker.Id)}/outcome";
        var events = await world.EventCountAsync(matchId);

        var noTerms = await employer.Client.PostAsJsonAsync(url, new { outcome = "hired" });
        var badReason = await employer.Client.PostAsJsonAsync(url, new { outcome = "not_selected", reason = "too old" });
        var unknown = await employer.Client.PostAsJsonAsync(url, new { outcome = "ghosted" });

        Assert.Equal(HttpStatusCode.BadRequest, noTerms.StatusCode);
        var problem = await noTerms.Content.ReadAsStringAsync();
        Assert.Contains("startDate", problem);
        Assert.Contains("monthlyWageBdt", problem);
        Assert.Contains("writtenContract", problem);
        Assert.Equal(HttpStatusCode.BadRequest, badReason.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(MatchStatus.Interviewed, await world.StatusAsync(matchId));
        Assert.Equal(events, await world.EventCountAsync(matchId));
    }

    /// <summary>A hire in an earlier step of the walk placed the seeker; put them back so their card stays visible.</summary>
    private async Task ReactivateAsync(long seekerId)
    {
        await using var c = await database.DataSource.OpenConnectionAsync();
        await c.ExecuteAsync("UPDATE seeker SET status = 'active' WHERE id = @seekerId", new { seekerId });
    }
}
