using Dapper;
using JobMatch.Database;
using JobMatch.Matching;
using JobMatch.MatchingContract;
using JobMatch.Ranking;
using JobMatch.Skills;
using JobMatch.Tests.Infrastructure;
using Npgsql;

namespace JobMatch.Tests.Matching;

/// <summary>
/// The nightly re-match as one set-based pass (<see cref="NightlyRematch"/>). Each test has a database of its own: the
/// pass re-matches every open vacancy, so in the shared database it would touch (and be touched by) other tests' rows.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class NightlyRematchTests(PostgresFixture database) : IAsyncLifetime
{
    private const int Cap = 5; // Matching:MaxOpenProposalsPerSeeker's default
    private NpgsqlDataSource _db = null!;
    private string _connectionString = "";
    private MatchingWorld _world = null!;
    private readonly List<JobMatchApp> _apps = [];

    public async Task InitializeAsync()
    {
        _connectionString = database.CreateDatabase("jobmatch_rematch_" + Guid.NewGuid().ToString("N")[..8]);
        DatabaseMigrator.Migrate(_connectionString);
        _db = NpgsqlDataSource.Create(_connectionString);
        await new ReferenceData(_db).LoadAsync(PostgresFixture.SeedDirectory, CancellationToken.None);
        _world = new MatchingWorld(_db);
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps) await app.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task NightlyRematch_KeepsEverySeekerWithinTheCap_CountingMatchesOpenBefore()
    {
        var app = App();
        var agency = await _world.AgencyAsync();
        var employer = await _world.EmployerAsync();
        var vacancies = new List<long>();
        for (var i = 0; i < 8; i++) vacancies.Add(await _world.VacancyAsync(employer, ("GAR-001", 1, true)));
        var seekers = new List<long>();
        for (var i = 0; i < 6; i++) seekers.Add((await _world.SeekerAsync(agency, [("GAR-001", 1 + i % 4)])).Id);
        // Three open matches before the pass, on a vacancy outside it (closed since): they use three of the five slots.
        var busy = seekers[0];
        var elsewhere = await _world.VacancyAsync(employer, ("GAR-001", 1, true));
        await ProposeForVacancyAsync(app, elsewhere);
        await ExecuteAsync("UPDATE vacancy SET status = 'closed' WHERE id = @elsewhere", new { elsewhere });
        await ExecuteAsync(
            "UPDATE match SET status = 'shown' WHERE vacancy_id = @elsewhere; INSERT INTO match (vacancy_id, seeker_id, status, rank, score, ranker, explanation) SELECT v, @busy, 'invited', 1, 1, 'rule', '{}' FROM unnest(@others) v",
            new { elsewhere, busy, others = new[] { await _world.VacancyAsync(employer), await _world.VacancyAsync(employer) } });
        var before = await OpenCountsAsync(seekers);

        await RematchAsync(app);

        var after = await OpenCountsAsync(seekers);
        Assert.All(seekers, s => Assert.Equal(Cap, after[s])); // 8 vacancies want all six: the cap binds for everyone
        Assert.Equal(3, before[busy]);
        Assert.Equal(Cap - before[busy], await CountAsync("SELECT count(*) FROM match WHERE seeker_id = @busy AND vacancy_id = ANY (@vacancies)", new { busy, vacancies }));
    }

    [Fact]
    public async Task NightlyRematch_ProposesExactlyWhatPerVacancyProposingDoes_WhenTheCapDoesNotBind()
    {
        // Cap out of reach: then the order of vacancies cannot matter, and the set pass must give the same rows as
        // proposing one vacancy at a time. Every hard filter is in the world: a pair the per-vacancy rules refuse
        // would show up as a difference.
        // Exploration off too: the two paths draw exploratory slots each in their own step (ExplorationSlotTests).
        var app = App(new() { ["Matching:MaxOpenProposalsPerSeeker"] = "100", ["Matching:ExplorationShare"] = "0" });
        var world = await HardFilterWorldAsync();

        var nightly = await RematchAsync(app);
        var setRows = await MatchRowsAsync();
        await ExecuteAsync("DELETE FROM match");
        foreach (var v in world.Vacancies) await ProposeForVacancyAsync(app, v);
        var perVacancyRows = await MatchRowsAsync();

        Assert.True(nightly.Inserted >= 20, $"the world should give many proposals, got {nightly.Inserted}");
        Assert.Equal(perVacancyRows, setRows);
        Assert.DoesNotContain(setRows, r => world.Excluded.Contains(r.SeekerId));
        Assert.DoesNotContain(setRows, r => r.VacancyId == world.SuspendedEmployersVacancy || r.VacancyId == world.ClosedVacancy);
        Assert.Contains(setRows, r => r.SeekerId == world.Included);
    }

    [Fact]
    public async Task NightlyRematch_ProposesOnlyPairsThePerVacancyRulesAllow_WhenTheCapBinds()
    {
        var app = App();
        var world = await HardFilterWorldAsync();
        var allowed = new HashSet<(long, long)>();
        await using (var scope = app.Services.CreateAsyncScope())
        await using (var c = await _db.OpenConnectionAsync())
        {
            var queries = scope.ServiceProvider.GetRequiredService<CandidateQueries>();
            foreach (var v in world.Vacancies)
            {
                if (await queries.OpenVacancyAsync(c, v, CancellationToken.None) is not { } vacancy) continue;
                var profile = CandidateQueries.ProfileOf(vacancy);
                foreach (var (row, seeker) in await queries.CandidateProfilesAsync(c, vacancy, new MatchingOptions(), DateTimeOffset.UtcNow, CancellationToken.None))
                {
                    if (MatchProposer.HoldsEveryRequired(seeker, profile)) allowed.Add((v, row.Id));
                }
            }
        }

        await RematchAsync(app);

        var rows = await MatchRowsAsync();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Contains((r.VacancyId, r.SeekerId), allowed));
        Assert.All((await OpenCountsAsync(rows.Select(r => r.SeekerId).Distinct().ToList())).Values, n => Assert.InRange(n, 1, Cap));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM match_rule WHERE forbidden_reason IS NOT NULL"));
    }

    [Fact]
    public async Task NightlyRematch_AddsNothing_WhenRunTwice()
    {
        var app = App();
        await HardFilterWorldAsync();
        var first = await RematchAsync(app);
        var snapshot = await SnapshotAsync();

        var second = await RematchAsync(app);

        Assert.True(first.Inserted > 0);
        Assert.Equal((0, 0, 0), (second.Inserted, second.Updated, second.Forbidden));
        Assert.Equal(snapshot, await SnapshotAsync());
    }

    [Fact]
    public async Task NightlyRematch_DropsNewPairs_WhenARuleChangesAfterThePoolsWereScored()
    {
        var app = App();
        var agency = await _world.AgencyAsync();
        var employer = await _world.EmployerAsync();
        var vacancy = await _world.VacancyAsync(employer, ("GAR-002", 1, true));
        var blocked = (await _world.SeekerAsync(agency, [("GAR-002", 3)])).Id;
        var withdrawn = (await _world.SeekerAsync(agency, [("GAR-002", 3)])).Id;
        var paused = (await _world.SeekerAsync(agency, [("GAR-002", 3)])).Id;
        var kept = (await _world.SeekerAsync(agency, [("GAR-002", 3)])).Id;
        await using var scope = app.Services.CreateAsyncScope();
        var rematch = scope.ServiceProvider.GetRequiredService<NightlyRematch>();
        var pools = await rematch.ScoreAsync(CancellationToken.None);
        var picks = NightlyRematch.Assign(pools, 30, Cap);

        await ExecuteAsync("UPDATE seeker SET blocked_employer_ids = @ids WHERE id = @blocked", new { ids = new[] { employer }, blocked });
        await ExecuteAsync("UPDATE consent SET withdrawn_at = now() WHERE seeker_id = @withdrawn AND purpose = 'matching'", new { withdrawn });
        await ExecuteAsync("UPDATE seeker SET status = 'paused' WHERE id = @paused", new { paused });
        var result = await rematch.WriteAsync(pools, picks, CancellationToken.None);

        Assert.Equal([kept], (await MatchRowsAsync()).Where(r => r.VacancyId == vacancy).Select(r => r.SeekerId));
        Assert.Equal(3, result.Forbidden);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM match_event"));
    }

    [Fact]
    public async Task NightlyRematch_KeepsTheCap_WhenProposalsWereMadeAfterThePoolsWereScored()
    {
        var app = App();
        var agency = await _world.AgencyAsync();
        var employer = await _world.EmployerAsync();
        var seeker = (await _world.SeekerAsync(agency, [("GAR-003", 3)])).Id;
        for (var i = 0; i < 3; i++) await _world.VacancyAsync(employer, ("GAR-003", 1, true));
        await using var scope = app.Services.CreateAsyncScope();
        var rematch = scope.ServiceProvider.GetRequiredService<NightlyRematch>();
        var pools = await rematch.ScoreAsync(CancellationToken.None);
        var picks = NightlyRematch.Assign(pools, 30, Cap);

        // Meanwhile three vacancies are published and proposed one by one: 3 + 3 would be six open matches.
        for (var i = 0; i < 3; i++) await ProposeForVacancyAsync(app, await _world.VacancyAsync(employer, ("GAR-003", 1, true)));
        await rematch.WriteAsync(pools, picks, CancellationToken.None);

        Assert.Equal(Cap, (await OpenCountsAsync([seeker]))[seeker]);
    }

    [Fact]
    public void Assign_GivesTheSamePairs_WhateverTheOrderOfVacancies()
    {
        var random = new Random(7);
        var vacancies = Enumerable.Range(1, 40).Select(v =>
        {
            var seekers = Enumerable.Range(1, 60).OrderBy(_ => random.Next()).Take(25).Select(s => (long)s).ToArray();
            // Coarse scores, so that ties across vacancies are common.
            var scored = seekers.Select(s => (Seeker: s, Score: random.Next(10) / 2f)).OrderByDescending(x => x.Score).ThenBy(x => x.Seeker).ToArray();
            return new NightlyRematch.VacancyPool(new CandidateQueries.VacancyRow { Id = v }, null!, scored.Length,
                scored.Select(x => x.Seeker).ToArray(), scored.Select(x => x.Score).ToArray(),
                scored.Select(x => NightlyRematch.TieKey(v, "JS-" + x.Seeker)).ToArray());
        }).ToList();
        var openBefore = new Dictionary<long, int> { [1] = 4, [2] = 5 };
        var openPairs = new HashSet<(long, long)> { (3, vacancies[2].SeekerIds[0]) };
        var closedPairs = new HashSet<(long, long)> { (4, vacancies[3].SeekerIds[0]) };
        NightlyRematch.Pools Pools(IEnumerable<NightlyRematch.VacancyPool> order) =>
            new(null!, null!, order.ToList(), new Dictionary<long, (CandidateQueries.CandidateRow, SeekerRankingProfile)>(), openBefore, openPairs, closedPairs);
        HashSet<(long, long)> Chosen(NightlyRematch.Pools p) =>
            NightlyRematch.Assign(p, 10, Cap).SelectMany((picks, v) => picks.Select(x => (p.Vacancies[v].Vacancy.Id, p.Vacancies[v].SeekerIds[x.Position]))).ToHashSet();

        var inOrder = Chosen(Pools(vacancies));
        var reversed = Chosen(Pools(Enumerable.Reverse(vacancies)));
        var shuffled = Chosen(Pools(vacancies.OrderBy(_ => random.Next())));

        Assert.Equal(inOrder.Order(), reversed.Order());
        Assert.Equal(inOrder.Order(), shuffled.Order());
        var perSeeker = inOrder.Where(p => !openPairs.Contains(p)).GroupBy(p => p.Item2).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(perSeeker, kv => Assert.True(kv.Value + openBefore.GetValueOrDefault(kv.Key) <= Cap, $"seeker {kv.Key}: {kv.Value} new"));
        Assert.Equal(Cap - 4, perSeeker.GetValueOrDefault(1));
        Assert.False(perSeeker.ContainsKey(2));
        Assert.Contains((3L, vacancies[2].SeekerIds[0]), inOrder);
        Assert.DoesNotContain((4L, vacancies[3].SeekerIds[0]), inOrder);
        Assert.All(inOrder.GroupBy(p => p.Item1), g => Assert.True(g.Count() <= 10));
    }

    private sealed record HardFilters(long[] Vacancies, HashSet<long> Excluded, long Included, long SuspendedEmployersVacancy, long ClosedVacancy);

    /// <summary>Three employers' vacancies and seekers who break each hard filter once, beside seekers who pass.</summary>
    private async Task<HardFilters> HardFilterWorldAsync()
    {
        var reviewing = await _world.AgencyAsync();
        var direct = await _world.AgencyAsync(requiresReview: false);
        var employer = await _world.EmployerAsync();
        var other = await _world.EmployerAsync();
        var suspended = await _world.EmployerAsync();
        var vacancies = new List<long>
        {
            await _world.VacancyAsync(employer, ("GAR-001", 2, true), ("GAR-002", 1, false)),
            await _world.VacancyAsync(employer, ("GAR-001", 1, true)),
            await _world.VacancyAsync(other, ("GAR-002", 2, true), ("GAR-003", 1, false)),
            await _world.VacancyAsync(other, ("GAR-001", 1, false), ("GAR-003", 1, false)),
        };
        var suspendedVacancy = await _world.VacancyAsync(suspended, ("GAR-001", 1, true));
        var closed = await _world.VacancyAsync(employer, ("GAR-001", 1, true));
        vacancies.Add(suspendedVacancy);
        vacancies.Add(closed);
        await ExecuteAsync("UPDATE employer SET status = 'suspended', suspended_reason = 'test' WHERE organisation_id = @suspended", new { suspended });
        await ExecuteAsync("UPDATE vacancy SET status = 'closed' WHERE id = @closed", new { closed });
        await ExecuteAsync("UPDATE vacancy SET min_education_level = 2 WHERE id = @v", new { v = vacancies[3] });

        (string, int)[] all = [("GAR-001", 3), ("GAR-002", 3), ("GAR-003", 3)];
        var included = (await _world.SeekerAsync(direct, all)).Id;
        for (var i = 0; i < 12; i++) await _world.SeekerAsync(i % 2 == 0 ? reviewing : direct, [("GAR-001", 1 + i % 4), ("GAR-002", 1 + (i + 1) % 4), ("GAR-003", 1 + i % 3)]);
        var excluded = new HashSet<long>
        {
            (await _world.SeekerAsync(reviewing, all, consent: false)).Id,
            (await _world.SeekerAsync(reviewing, all, blockedSectors: ["garments"])).Id,
            (await _world.SeekerAsync(reviewing, all, upazila: "teknaf", maxTravelKm: 10)).Id,
        };
        foreach (var status in new[] { "paused", "withdrawn", "placed", "erased" })
        {
            var id = (await _world.SeekerAsync(reviewing, all)).Id;
            await ExecuteAsync("UPDATE seeker SET status = @status WHERE id = @id", new { status, id });
            excluded.Add(id);
        }
        var blockedEmployers = (await _world.SeekerAsync(reviewing, all)).Id;
        await ExecuteAsync("UPDATE seeker SET blocked_employer_ids = @ids WHERE id = @blockedEmployers", new { ids = new[] { employer, other }, blockedEmployers });
        var blockedUpazila = (await _world.SeekerAsync(reviewing, all)).Id;
        await ExecuteAsync("UPDATE seeker SET blocked_upazilas = '{coxs_bazar_sadar}' WHERE id = @blockedUpazila", new { blockedUpazila });
        var later = (await _world.SeekerAsync(reviewing, all)).Id;
        await ExecuteAsync("UPDATE seeker SET available_from = current_date + 60 WHERE id = @later", new { later });
        var expired = (await _world.SeekerAsync(reviewing, all)).Id;
        await ExecuteAsync("UPDATE consent SET expires_at = now() - interval '1 day' WHERE seeker_id = @expired", new { expired });
        excluded.UnionWith([blockedEmployers, blockedUpazila, later, expired]);
        // Partly excluded: no must-have skill for the first three vacancies, too little education for the fourth.
        await _world.SeekerAsync(direct, [("GAR-003", 4)]);
        var unschooled = (await _world.SeekerAsync(direct, all)).Id;
        await ExecuteAsync("UPDATE seeker SET education_level = 1 WHERE id = @unschooled", new { unschooled });
        return new HardFilters(vacancies.ToArray(), excluded, included, suspendedVacancy, closed);
    }

    private JobMatchApp App(Dictionary<string, string?>? settings = null)
    {
        settings ??= [];
        settings["ConnectionStrings:JobMatch"] = _connectionString;
        var app = new JobMatchApp(database, settings);
        _apps.Add(app);
        return app;
    }

    private static async Task<NightlyRematch.Result> RematchAsync(JobMatchApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<NightlyRematch>().RunAsync(CancellationToken.None);
    }

    private static async Task ProposeForVacancyAsync(JobMatchApp app, long vacancyId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<MatchProposer>().ProposeForVacancyAsync(vacancyId, CancellationToken.None);
    }

    private sealed record MatchRow(long VacancyId, long SeekerId, string Status, int Rank, float Score, string Explanation);

    private async Task<List<MatchRow>> MatchRowsAsync()
    {
        await using var c = await _db.OpenConnectionAsync();
        return (await c.QueryAsync<MatchRow>(
            "SELECT vacancy_id, seeker_id, status, rank, score, explanation::text AS explanation FROM match ORDER BY vacancy_id, seeker_id")).ToList();
    }

    private async Task<string> SnapshotAsync()
    {
        await using var c = await _db.OpenConnectionAsync();
        var rows = await c.QueryAsync<string>(
            "SELECT concat_ws('|', id, vacancy_id, seeker_id, status, rank, score, ranker, explanation::text, version, updated_at) FROM match ORDER BY id");
        return string.Join("\n", rows) + "\nevents:" + await c.ExecuteScalarAsync<int>("SELECT count(*) FROM match_event");
    }

    private async Task<Dictionary<long, int>> OpenCountsAsync(IReadOnlyList<long> seekers)
    {
        await using var c = await _db.OpenConnectionAsync();
        var counts = (await c.QueryAsync<(long, int)>(
            "SELECT seeker_id, count(*)::int FROM match WHERE seeker_id = ANY (@seekers) AND status = ANY (@open) GROUP BY seeker_id",
            new { seekers = seekers.ToArray(), open = MatchStatus.Open })).ToDictionary(r => r.Item1, r => r.Item2);
        return seekers.ToDictionary(s => s, s => counts.GetValueOrDefault(s));
    }

    private async Task<int> CountAsync(string sql, object? args = null)
    {
        await using var c = await _db.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<int>(sql, args);
    }

    private async Task ExecuteAsync(string sql, object? args = null)
    {
        await using var c = await _db.OpenConnectionAsync();
        await c.ExecuteAsync(sql, args);
    }
}
