using Dapper;
using JobMatch.Matching;
using JobMatch.Ranking;
using Npgsql;

namespace JobMatch.Tests.Matching;

/// <summary>
/// Exploration slots on the platform (issue 21): a share of each shortlist filled at random from the eligible
/// candidates just below it, with position, exploratory flag and propensity recorded on every proposal. Part of
/// <see cref="NightlyRematchTests"/> for its database of its own per test (the nightly pass re-matches every open vacancy).
/// </summary>
public sealed partial class NightlyRematchTests
{
    [Fact]
    public async Task Exploration_NeverProposesAnExcludedCandidate_WhateverTheRulesAndConsents()
    {
        // Property over random worlds: each round gives every seeker a random do-not-match rule (employer, sector,
        // upazila), a withdrawn consent or a paused status, or nothing; with half the slots exploratory and short lists,
        // most of each pool is below the list and in the draw. Neither the nightly pass nor per-vacancy proposing may
        // propose anyone a rule excludes, and exploration must actually have happened.
        var app = App(new() { ["Matching:ExplorationShare"] = "0.5", ["Matching:TopK"] = "4", ["Matching:MaxOpenProposalsPerSeeker"] = "3" });
        var agency = await _world.AgencyAsync(requiresReview: false);
        var employer = await _world.EmployerAsync();
        var other = await _world.EmployerAsync();
        var vacancies = new[]
        {
            await _world.VacancyAsync(employer, ("GAR-001", 1, true)), await _world.VacancyAsync(employer, ("GAR-001", 1, true)),
            await _world.VacancyAsync(other, ("GAR-001", 1, true)), await _world.VacancyAsync(other, ("GAR-001", 1, false), ("GAR-002", 1, false)),
        };
        var seekers = new List<long>();
        for (var i = 0; i < 40; i++) seekers.Add((await _world.SeekerAsync(agency, [("GAR-001", 1 + i % 4), ("GAR-002", 1 + i % 3)])).Id);
        var random = new Random(21);
        var explored = 0;
        for (var round = 0; round < 6; round++)
        {
            await ExecuteAsync("""
                DELETE FROM match;
                UPDATE seeker SET blocked_employer_ids = '{}', blocked_sectors = '{}', blocked_upazilas = '{}', status = 'active';
                UPDATE consent SET withdrawn_at = NULL
                """);
            var excluded = new HashSet<(long Vacancy, long Seeker)>();
            foreach (var seeker in seekers)
            {
                switch (random.Next(7))
                {
                    case 0:
                        var blocked = random.Next(2) == 0 ? employer : other;
                        await ExecuteAsync("UPDATE seeker SET blocked_employer_ids = @ids WHERE id = @seeker", new { ids = new[] { blocked }, seeker });
                        excluded.UnionWith(vacancies.Take(4).Where((_, v) => (v < 2 ? employer : other) == blocked).Select(v => (v, seeker)));
                        break;
                    case 1:
                        await ExecuteAsync("UPDATE seeker SET blocked_sectors = '{garments}' WHERE id = @seeker", new { seeker });
                        excluded.UnionWith(vacancies.Select(v => (v, seeker)));
                        break;
                    case 2:
                        await ExecuteAsync("UPDATE seeker SET blocked_upazilas = '{coxs_bazar_sadar}' WHERE id = @seeker", new { seeker });
                        excluded.UnionWith(vacancies.Select(v => (v, seeker)));
                        break;
                    case 3:
                        await ExecuteAsync("UPDATE consent SET withdrawn_at = now() WHERE seeker_id = @seeker AND purpose = 'matching'", new { seeker });
                        excluded.UnionWith(vacancies.Select(v => (v, seeker)));
                        break;
                    case 4:
                        await ExecuteAsync("UPDATE seeker SET status = 'paused' WHERE id = @seeker", new { seeker });
                        excluded.UnionWith(vacancies.Select(v => (v, seeker)));
                        break;
                }
            }

            if (round % 2 == 0) await RematchAsync(app);
            else foreach (var v in vacancies) await ProposeForVacancyAsync(app, v);

            var rows = await ExplorationRowsAsync();
            Assert.NotEmpty(rows);
            Assert.DoesNotContain(rows, r => excluded.Contains((r.VacancyId, r.SeekerId)));
            Assert.Equal(0, await CountAsync("SELECT count(*) FROM match_rule WHERE forbidden_reason IS NOT NULL"));
            explored += rows.Count(r => r.Exploratory);
        }
        Assert.True(explored >= 6, $"exploration should have drawn candidates, drew {explored}");
    }

    [Fact]
    public async Task Proposals_RecordPositionExplorationAndPropensity_ForEveryShownProposal()
    {
        var app = App(new() { ["Matching:TopK"] = "10", ["Matching:ExplorationSeed"] = "5" }); // default share: one slot in ten
        var agency = await _world.AgencyAsync(requiresReview: false);
        var employer = await _world.EmployerAsync();
        var nightly = new[] { await _world.VacancyAsync(employer, ("GAR-003", 1, true)), await _world.VacancyAsync(employer, ("GAR-003", 1, false)) };
        for (var i = 0; i < 26; i++) await _world.SeekerAsync(agency, [("GAR-003", 1 + i % 4), ("GAR-004", 1 + i % 2)]);
        await RematchAsync(app);
        var published = await _world.VacancyAsync(employer, ("GAR-004", 1, true));
        await ProposeForVacancyAsync(app, published);

        var rows = await ExplorationRowsAsync();
        foreach (var vacancy in nightly.Append(published))
        {
            var list = rows.Where(r => r.VacancyId == vacancy).OrderBy(r => r.Rank).ToList();
            Assert.Equal(10, list.Count);
            Assert.Equal(Enumerable.Range(1, 10), list.Select(r => r.Rank));
            Assert.All(list, r => Assert.Equal("shown", r.Status));
            var exploratory = Assert.Single(list, r => r.Exploratory);
            Assert.Equal(1f / 16, exploratory.Propensity!.Value, 6); // one drawn from the 16 eligible below the top 10
            Assert.All(list.Where(r => !r.Exploratory), r => Assert.Equal(1f, r.Propensity));
        }
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM match WHERE status = 'shown' AND propensity IS NULL"));
    }

    [Fact]
    public async Task Exploration_IsOff_WhenTheShareIsZero()
    {
        var app = App(new() { ["Matching:TopK"] = "5", ["Matching:ExplorationShare"] = "0" });
        var agency = await _world.AgencyAsync();
        var vacancy = await _world.VacancyAsync(await _world.EmployerAsync(), ("GAR-005", 1, true));
        for (var i = 0; i < 12; i++) await _world.SeekerAsync(agency, [("GAR-005", 1 + i % 4)]);

        await RematchAsync(app);

        var rows = await ExplorationRowsAsync();
        Assert.Equal(5, rows.Count);
        Assert.All(rows, r => Assert.False(r.Exploratory));
        Assert.All(rows, r => Assert.Equal(1f, r.Propensity));
    }

    [Fact]
    public async Task EmployerRole_CannotReadHowAProposalWasChosen()
    {
        App(); // the app's start-up makes sure the restricted roles and their grants exist
        await using var c = await _db.OpenConnectionAsync();
        await using var tx = await c.BeginTransactionAsync();
        await c.ExecuteAsync("SET LOCAL ROLE jm_employer_api", transaction: tx);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => c.ExecuteScalarAsync("SELECT exploratory, propensity FROM match LIMIT 1", transaction: tx));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    [Fact]
    public async Task OutcomeExamples_CarryPositionExplorationAndPropensity_AndLeaveNeverShownCandidatesOut()
    {
        var agency = await _world.AgencyAsync();
        var employer = await _world.EmployerAsync();
        var open = await _world.VacancyAsync(employer, ("GAR-006", 1, true));
        var closed = await _world.VacancyAsync(employer, ("GAR-006", 1, true));
        var s = new List<(long Id, string Reference)>();
        for (var i = 0; i < 6; i++) s.Add(await _world.SeekerAsync(agency, [("GAR-006", 2)]));
        await ExecuteAsync("""
            INSERT INTO match (vacancy_id, seeker_id, status, rank, score, ranker, explanation, exploratory, propensity) VALUES
                (@closed, @s0, 'hired', 3, 0.5, 'rule', '{}', true, 0.25),
                (@closed, @s1, 'shown', 1, 0.9, 'rule', '{}', false, 1),
                (@closed, @s2, 'skipped', 2, 0.8, 'rule', '{}', false, 1),
                (@closed, @s3, 'not_selected', 4, 0.4, 'rule', '{}', false, NULL),
                (@open, @s4, 'shown', 1, 0.9, 'rule', '{}', false, 1),
                (@open, @s5, 'proposed', 2, 0.8, 'rule', '{}', true, 0.1);
            UPDATE vacancy SET status = 'closed' WHERE id = @closed
            """, new { open, closed, s0 = s[0].Id, s1 = s[1].Id, s2 = s[2].Id, s3 = s[3].Id, s4 = s[4].Id, s5 = s[5].Id });

        var (examples, _) = await new OutcomeExamples(_db, new CandidateQueries(), new SkillCatalog(_db), TimeProvider.System).LoadAsync(CancellationToken.None);

        // Shown and closed without an answer: a 0; skipped, still proposed, or shown on a vacancy still open: no example.
        var byRef = examples.ToDictionary(e => e.SeekerRef);
        Assert.Equal(new[] { s[0].Reference, s[1].Reference, s[3].Reference }.Order(), byRef.Keys.Order());
        var hired = byRef[s[0].Reference];
        Assert.Equal((3, 3, true, 0.25), (hired.Label, hired.Position!.Value, hired.Randomized, hired.ShownPropensity));
        var passedOver = byRef[s[1].Reference];
        Assert.Equal((0, 1, false, 1.0), (passedOver.Label, passedOver.Position!.Value, passedOver.Randomized, passedOver.ShownPropensity));
        var beforeLogging = byRef[s[3].Reference]; // written before propensities were recorded: taken as a ranker's pick
        Assert.Equal((0, 4, 1.0), (beforeLogging.Label, beforeLogging.Position!.Value, beforeLogging.ShownPropensity));
    }

    [Fact]
    public void Assign_DrawsTheSameSlots_ForTheSameSeed_FromBelowTheListOnly_WithinTheCap()
    {
        var random = new Random(5);
        var vacancies = Enumerable.Range(1, 30).Select(v =>
        {
            var seekers = Enumerable.Range(1, 80).OrderBy(_ => random.Next()).Take(50).Select(s => (long)s).ToArray();
            var scored = seekers.Select(s => (Seeker: s, Score: random.Next(100) / 10f)).OrderByDescending(x => x.Score).ThenBy(x => x.Seeker).ToArray();
            return new NightlyRematch.VacancyPool(new CandidateQueries.VacancyRow { Id = v }, null!, scored.Length,
                scored.Select(x => x.Seeker).ToArray(), scored.Select(x => x.Score).ToArray(),
                scored.Select(x => NightlyRematch.TieKey(v, "JS-" + x.Seeker)).ToArray());
        }).ToList();
        var closedPairs = new HashSet<(long, long)>(vacancies.Select(p => (p.Vacancy.Id, p.SeekerIds[12])));
        var pools = new NightlyRematch.Pools(null!, null!, vacancies, new Dictionary<long, (CandidateQueries.CandidateRow, SeekerRankingProfile)>(),
            new Dictionary<long, int>(), new HashSet<(long, long)>(), closedPairs);
        const int cap = 8;

        var first = NightlyRematch.Assign(pools, 10, cap, 0.2, id => $"1\u001f{id}");
        var again = NightlyRematch.Assign(pools, 10, cap, 0.2, id => $"1\u001f{id}");
        var otherSeed = NightlyRematch.Assign(pools, 10, cap, 0.2, id => $"2\u001f{id}");
        var off = NightlyRematch.Assign(pools, 10, cap);

        Assert.Equal(first.Select(p => string.Join(",", p)), again.Select(p => string.Join(",", p)));
        Assert.NotEqual(first.Select(p => string.Join(",", p)), otherSeed.Select(p => string.Join(",", p)));
        for (var v = 0; v < vacancies.Count; v++)
        {
            var exploit = first[v].Where(p => !p.Exploratory).ToList();
            var exploratory = first[v].Where(p => p.Exploratory).ToList();
            Assert.Equal(10, first[v].Count);
            Assert.Equal(2, exploratory.Count);
            // The ranker's picks are its own top 8 of the list without exploration, in order; drawn ones come from below that list.
            Assert.Equal(off[v].Take(8).Select(p => p.Position), exploit.Select(p => p.Position));
            Assert.All(exploratory, p => Assert.True(p.Position > off[v].Max(o => o.Position), $"drawn at pool position {p.Position}"));
            Assert.All(exploratory, p => Assert.Equal(2.0 / ExplorationPolicy.ExplorationDepth, p.Propensity, 6));
            Assert.DoesNotContain(first[v], p => closedPairs.Contains((vacancies[v].Vacancy.Id, vacancies[v].SeekerIds[p.Position])));
        }
        var perSeeker = first.SelectMany((list, v) => list.Select(p => vacancies[v].SeekerIds[p.Position])).GroupBy(s => s);
        Assert.All(perSeeker, g => Assert.True(g.Count() <= cap, $"seeker {g.Key} in {g.Count()} lists"));
    }

    private sealed record ExplorationRow(long VacancyId, long SeekerId, string Status, int Rank, bool Exploratory, float? Propensity);

    private async Task<List<ExplorationRow>> ExplorationRowsAsync()
    {
        await using var c = await _db.OpenConnectionAsync();
        return (await c.QueryAsync<ExplorationRow>("SELECT vacancy_id, seeker_id, status, rank, exploratory, propensity FROM match ORDER BY vacancy_id, rank")).ToList();
    }
}
