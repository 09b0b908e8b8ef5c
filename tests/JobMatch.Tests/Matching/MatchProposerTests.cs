using System.Net;
using System.Text.Json;
using Dapper;
using JobMatch.Matching;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Matching;

[Collection(PostgresCollection.Name)]
public sealed class MatchProposerTests(PostgresFixture database) : IAsyncLifetime
{
    private JobMatchApp _app = null!;
    private MatchingWorld _world = null!;

    public Task InitializeAsync()
    {
        _app = new JobMatchApp(database);
        _world = new MatchingWorld(database.DataSource);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task ProposeForVacancy_ProposesOnlyEligibleSeekers_InRankOrder()
    {
        var agency = await _world.AgencyAsync();
        var employer = await _world.EmployerAsync();
        var vacancy = await _world.VacancyAsync(employer, ("GAR-001", 3, true), ("GAR-002", 2, false));
        var strong = await _world.SeekerAsync(agency, [("GAR-001", 4), ("GAR-002", 3)]);
        var weaker = await _world.SeekerAsync(agency, [("GAR-001", 1)]);
        var noConsent = await _world.SeekerAsync(agency, [("GAR-001", 4), ("GAR-002", 4)], consent: false);
        var blocked = await _world.SeekerAsync(agency, [("GAR-001", 4), ("GAR-002", 4)], blockedSectors: ["garments"]);
        var tooFar = await _world.SeekerAsync(agency, [("GAR-001", 4), ("GAR-002", 4)], upazila: "teknaf", maxTravelKm: 10);

        await ProposeAsync(vacancy);
        var matches = await _world.MatchesAsync(vacancy);

        // Other tests share the database, so assert on these seekers only.
        var strongMatch = Assert.Single(matches, m => m.SeekerId == strong.Id);
        var weakerMatch = Assert.Single(matches, m => m.SeekerId == weaker.Id);
        Assert.True(strongMatch.Rank < weakerMatch.Rank);
        Assert.Equal("proposed", strongMatch.Status);
        Assert.DoesNotContain(matches, m => m.SeekerId == noConsent.Id || m.SeekerId == blocked.Id || m.SeekerId == tooFar.Id);
    }

    [Fact]
    public async Task ProposeForVacancy_LeavesTheSameRows_WhenRunTwice()
    {
        var agency = await _world.AgencyAsync();
        var vacancy = await _world.VacancyAsync(await _world.EmployerAsync(), ("GAR-003", 2, true));
        for (var i = 0; i < 4; i++) await _world.SeekerAsync(agency, [("GAR-003", 1 + i % 4)]);

        await ProposeAsync(vacancy);
        var first = await SnapshotAsync(vacancy);
        var again = await ProposeAsync(vacancy);
        var second = await SnapshotAsync(vacancy);

        Assert.Equal(0, again.Inserted);
        Assert.Equal(0, again.Updated);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task ProposeForVacancy_GoesStraightToEmployer_WhenAgencyDoesNotReview()
    {
        var agency = await _world.AgencyAsync(requiresReview: false);
        var vacancy = await _world.VacancyAsync(await _world.EmployerAsync(), ("GAR-004", 1, true));
        var seeker = await _world.SeekerAsync(agency, [("GAR-004", 2)]);

        await ProposeAsync(vacancy);

        Assert.Equal("shown", Assert.Single(await _world.MatchesAsync(vacancy), m => m.SeekerId == seeker.Id).Status);
    }

    [Fact]
    public async Task ProposeForVacancy_SkipsSeeker_WhenMatchingConsentWithdrawn()
    {
        var agency = await _world.AgencyAsync();
        var employer = await _world.EmployerAsync();
        var seeker = await _world.SeekerAsync(agency, [("GAR-005", 3)]);
        await using (var c = await database.DataSource.OpenConnectionAsync())
        {
            await c.ExecuteAsync("UPDATE consent SET withdrawn_at = now() WHERE seeker_id = @Id AND purpose = 'matching'", new { seeker.Id });
        }
        var vacancy = await _world.VacancyAsync(employer, ("GAR-005", 1, true));

        await ProposeAsync(vacancy);

        Assert.DoesNotContain(await _world.MatchesAsync(vacancy), m => m.SeekerId == seeker.Id);
    }

    [Fact]
    public async Task ProposeForVacancy_RespectsCongestionCap_WhenSeekerHasManyOpenProposals()
    {
        var agency = await _world.AgencyAsync();
        var seeker = await _world.SeekerAsync(agency, [("GAR-006", 3)]);
        var employer = await _world.EmployerAsync();
        var vacancies = new List<long>();
        for (var i = 0; i < 6; i++) vacancies.Add(await _world.VacancyAsync(employer, ("GAR-006", 1, true)));

        foreach (var v in vacancies) await ProposeAsync(v);

        await using var c = await database.DataSource.OpenConnectionAsync();
        var open = await c.ExecuteScalarAsync<int>("SELECT count(*) FROM match WHERE seeker_id = @Id", new { seeker.Id });
        Assert.Equal(5, open); // Matching:MaxOpenProposalsPerSeeker
    }

    [Fact]
    public async Task Explanation_NamesSkillsMetAndMissing_WithoutPersonalData()
    {
        var agency = await _world.AgencyAsync();
        var vacancy = await _world.VacancyAsync(await _world.EmployerAsync(), ("GAR-007", 2, true), ("GAR-008", 2, true), ("GAR-010", 1, false));
        var seeker = await _world.SeekerAsync(agency, [("GAR-007", 3), ("GAR-008", 1)]);
        var lacking = await _world.SeekerAsync(agency, [("GAR-007", 4), ("GAR-010", 4)]);

        await ProposeAsync(vacancy);

        await using var c = await database.DataSource.OpenConnectionAsync();
        var json = await c.ExecuteScalarAsync<string>("SELECT explanation::text FROM match WHERE vacancy_id = @vacancy AND seeker_id = @Id", new { vacancy, seeker.Id });
        using var doc = JsonDocument.Parse(json!);
        Assert.Equal(["GAR-007"], doc.RootElement.GetProperty("requiredMet").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["GAR-008"], doc.RootElement.GetProperty("requiredMissing").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["GAR-010"], doc.RootElement.GetProperty("niceMissing").EnumerateArray().Select(e => e.GetString()));
        // A must-have skill not held at all is a hard filter: that seeker is not proposed.
        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT count(*) FROM match WHERE vacancy_id = @vacancy AND seeker_id = @Id", new { vacancy, lacking.Id }));
        Assert.Equal(0.0, doc.RootElement.GetProperty("distanceKm").GetDouble());
        Assert.DoesNotContain(seeker.Reference, json);
        Assert.DoesNotContain("gender", json, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task CorruptActiveModel_FallsBackToRuleRanker_AndReadinessSaysDegraded()
    {
        await using (var c = await database.DataSource.OpenConnectionAsync())
        {
            await c.ExecuteAsync("UPDATE ranking_model SET active = false WHERE active");
            await c.ExecuteAsync(
                """
                INSERT INTO ranking_model (trained_from, training_rows, training_vacancies, metrics, feature_names, model, active)
                VALUES ('simulated_world', 1, 1, '{}', '{}', '\x00010203'::bytea, true)
                """);
        }
        try
        {
            var agency = await _world.AgencyAsync();
            var vacancy = await _world.VacancyAsync(await _world.EmployerAsync(), ("GAR-009", 1, true));
            await _world.SeekerAsync(agency, [("GAR-009", 2)]);
            _app.Services.GetRequiredService<RankerProvider>().Invalidate();

            await ProposeAsync(vacancy);
            using var client = _app.CreatePlainClient();
            var ready = await client.GetAsync("/health/ready");
            using var health = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());

            await using var c = await database.DataSource.OpenConnectionAsync();
            Assert.Equal("rule", await c.ExecuteScalarAsync<string>("SELECT ranker FROM match WHERE vacancy_id = @vacancy", new { vacancy }));
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Equal("Degraded", health.RootElement.GetProperty("checks").GetProperty("ranking").GetProperty("status").GetString());
        }
        finally
        {
            await using var c = await database.DataSource.OpenConnectionAsync();
            await c.ExecuteAsync("DELETE FROM ranking_model WHERE model = '\\x00010203'::bytea");
        }
    }

    private async Task<MatchProposer.Result> ProposeAsync(long vacancyId)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<MatchProposer>().ProposeForVacancyAsync(vacancyId, CancellationToken.None);
    }

    private async Task<string> SnapshotAsync(long vacancyId)
    {
        await using var c = await database.DataSource.OpenConnectionAsync();
        var rows = await c.QueryAsync<string>(
            "SELECT concat_ws('|', seeker_id, status, rank, score, ranker, explanation::text, version, updated_at) FROM match WHERE vacancy_id = @vacancyId ORDER BY seeker_id",
            new { vacancyId });
        var events = await c.ExecuteScalarAsync<int>("SELECT count(*) FROM match_event e JOIN match m ON m.id = e.match_id WHERE m.vacancy_id = @vacancyId", new { vacancyId });
        return string.Join("\n", rows) + "\nevents:" + events;
    }
}
