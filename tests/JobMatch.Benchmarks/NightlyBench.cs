using System.Diagnostics;
using Dapper;
using JobMatch.Matching;
using JobMatch.Ranking;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace JobMatch.Benchmarks;

/// <summary>
/// B4: the nightly re-match of every open vacancy, measured whole through <see cref="NightlyRematch"/> (the three steps
/// <see cref="NightlyRematch.RunAsync"/> runs, timed one by one: pools and scores, the global cap, the bulk write).
/// Peer: the former per-vacancy loop (<see cref="MatchProposer.ProposeForVacancyAsync"/> in id order), run first under
/// a time budget and extrapolated, its rows deleted before the pass. Quality: the sequential result is replayed in
/// memory from the pass's own scored pools (each vacancy in id order takes its best seekers still under the cap), and
/// both are compared with the world's hidden utility.
/// </summary>
internal sealed class NightlyBench(BenchRun run, ScaleBench? scale = null)
{
    private const string Loop = "per-vacancy loop (before)";

    public async Task RunAsync()
    {
        var w = run.Report.Add("B4", "Nightly re-match of all open vacancies (proposals written)");
        var db = run.DataSource;
        var settings = new MatchingOptions();
        var rankers = new RankerProvider(db, TimeProvider.System, NullLogger<RankerProvider>.Instance);
        var catalog = new SkillCatalog(db);
        var proposer = new MatchProposer(db, new CandidateQueries(), rankers, catalog, Options.Create(settings), TimeProvider.System);
        var rematch = new NightlyRematch(db, new CandidateQueries(), rankers, catalog, Options.Create(settings), TimeProvider.System);
        // Once per process, not per night: the model from the registry and the skill catalogue, loaded before the clocks.
        await rankers.CurrentAsync(CancellationToken.None);
        await catalog.FeatureContextAsync(CancellationToken.None);

        await PerVacancyLoopAsync(w, proposer);

        scale?.BeforeNightly();
        var clock = Stopwatch.StartNew();
        var pools = await rematch.ScoreAsync(CancellationToken.None);
        var scored = clock.Elapsed.TotalSeconds;
        var picks = NightlyRematch.Assign(pools, settings.TopK, settings.MaxOpenProposalsPerSeeker);
        var assigned = clock.Elapsed.TotalSeconds;
        var result = await rematch.WriteAsync(pools, picks, CancellationToken.None);
        clock.Stop();
        scale?.AfterNightly();
        var wall = clock.Elapsed.TotalSeconds;
        w.Metric("vacancies_total", pools.Vacancies.Count);
        w.Metric("vacancies_done", result.Vacancies);
        w.Metric("wall_s", wall);
        w.Metric("measured_s", wall);
        w.Metric("stage_pools_and_scores_s", scored);
        w.Metric("stage_cap_s", assigned - scored);
        w.Metric("stage_write_s", wall - assigned);
        if (pools.Stages is { } sc)
        {
            w.Metric("stage_existing_s", sc.Existing.TotalSeconds);
            w.Metric("stage_pool_statements_s", sc.Pools.TotalSeconds);
            w.Metric("stage_profiles_s", sc.Profiles.TotalSeconds);
            w.Metric("stage_scores_s", sc.Scores.TotalSeconds);
        }
        w.Metric("write_explain_s", result.Stages.Explain.TotalSeconds);
        w.Metric("write_copy_s", result.Stages.Copy.TotalSeconds);
        w.Metric("write_merge_s", result.Stages.Merge.TotalSeconds);
        w.Metric("write_check_s", result.Stages.Check.TotalSeconds);
        w.Metric("write_events_s", result.Stages.Events.TotalSeconds);
        w.Metric("vacancies_per_s", result.Vacancies / wall);
        w.Metric("candidates_per_s", result.ScoredPairs / wall);
        w.Metric("pairs_scored", result.ScoredPairs);
        w.Metric("proposals_written", result.Inserted);
        w.Metric("pools_at_limit", pools.Vacancies.Count(v => v.PoolSize >= settings.CandidatePool));

        if (!run.Scale.LatencyOnly) Compare(w, pools, picks, settings);
        w.Notes.Add($"JobMatch = NightlyRematch, measured whole (no extrapolation): candidate pools by the product's pool statement, {NightlyRematch.PoolBatch} vacancies per statement ({Math.Clamp(Environment.ProcessorCount, 1, settings.RematchConnections)} connections at once), the pooled seekers' profiles read once, model scores on every core ({NightlyRematch.ScoreBatch} vacancies per model call); the cap (≤ {settings.MaxOpenProposalsPerSeeker} open per seeker) once over all scored pairs, greedy by score; explanations for the chosen pairs; binary COPY + one merge re-checking vacancy, cap and match_rule.");
        if (run.Scale.LatencyOnly) return;
        w.Notes.Add("sequential = the former per-vacancy loop's result, replayed in memory from the same scored pools (vacancies in id order, each taking its best seekers still under the cap). It is exact where a pool was below the 1,000 limit (pools_at_limit counts the others: there the loop's SQL would have refilled the pool past seekers already at the cap).");
        w.Notes.Add("NDCG@10 of each vacancy's proposals (in rank order) against the hidden utility, graded within that vacancy's scored pool as B2 grades (top 10 → 4, 11-50 → 3, 51-200 → 2, 201-1,000 → 1; gain 2^g − 1); utility_mean = mean hidden utility of all proposed pairs.");
    }

    /// <summary>The peer: the former loop over vacancies in id order, under a time budget, then its rows removed.</summary>
    private async Task PerVacancyLoopAsync(WorkloadResult w, MatchProposer proposer)
    {
        var ids = run.Loaded.VacancyIds.Order().ToArray();
        var clock = Stopwatch.StartNew();
        int done = 0, candidates = 0;
        foreach (var id in ids)
        {
            candidates += (await proposer.ProposeForVacancyAsync(id, CancellationToken.None)).Candidates;
            done++;
            if (clock.Elapsed > run.Scale.NightlyBudget) break;
        }
        clock.Stop();
        w.Peer(Loop, "vacancies_done", done);
        w.Peer(Loop, "measured_s", clock.Elapsed.TotalSeconds);
        w.Peer(Loop, "wall_s", clock.Elapsed.TotalSeconds / done * ids.Length);
        w.Peer(Loop, "vacancies_per_s", done / clock.Elapsed.TotalSeconds);
        w.Peer(Loop, "candidates_per_s", candidates / clock.Elapsed.TotalSeconds);
        if (done < ids.Length)
        {
            w.Notes.Add($"{Loop}: stopped by its {run.Scale.NightlyBudget.TotalSeconds:F0} s budget after {done:N0} of {ids.Length:N0} vacancies; its wall_s is extrapolated from that rate.");
        }
        await using var c = await run.DataSource.OpenConnectionAsync();
        await c.ExecuteAsync("DELETE FROM match"); // match_event goes with it (ON DELETE CASCADE)
    }

    private void Compare(WorkloadResult w, NightlyRematch.Pools pools, List<NightlyRematch.Pick>[] picks, MatchingOptions settings)
    {
        var vacancies = pools.Vacancies;
        var set = vacancies.Select((_, v) => picks[v].Select(p => p.Position).ToList()).ToList();
        // The loop's result: vacancies in id order, each taking its best seekers still under the cap.
        var sequential = new List<int>[vacancies.Count];
        var open = new Dictionary<long, int>();
        foreach (var v in Enumerable.Range(0, vacancies.Count).OrderBy(v => vacancies[v].Vacancy.Id))
        {
            var pool = vacancies[v];
            sequential[v] = [];
            for (var p = 0; p < pool.SeekerIds.Length && sequential[v].Count < settings.TopK; p++)
            {
                var s = pool.SeekerIds[p];
                if (open.GetValueOrDefault(s) >= settings.MaxOpenProposalsPerSeeker) continue;
                open[s] = open.GetValueOrDefault(s) + 1;
                sequential[v].Add(p);
            }
        }

        var vacancyIndex = run.Loaded.VacancyIds.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        var ndcgSet = new double[vacancies.Count];
        var ndcgSequential = new double[vacancies.Count];
        var utilitySet = new double[vacancies.Count];
        var utilitySequential = new double[vacancies.Count];
        Parallel.For(0, vacancies.Count, v =>
        {
            var pool = vacancies[v];
            var world = run.World.Vacancies[vacancyIndex[pool.Vacancy.Id]].Profile;
            var utility = pool.SeekerIds.Select(s => SimulatedUtility.Of(run.World.Seekers[run.Loaded.WorldIndexOfSeeker[s]].Profile, world)).ToArray();
            var grade = new int[utility.Length];
            var byUtility = Enumerable.Range(0, utility.Length).OrderByDescending(i => utility[i]).ThenBy(i => i).ToArray();
            for (var r = 0; r < byUtility.Length; r++) grade[byUtility[r]] = r < 10 ? 4 : r < 50 ? 3 : r < 200 ? 2 : r < 1000 ? 1 : 0;
            var ideal = Dcg(byUtility.Take(10), grade);
            ndcgSet[v] = ideal == 0 ? 0 : Dcg(set[v].Take(10), grade) / ideal;
            ndcgSequential[v] = ideal == 0 ? 0 : Dcg(sequential[v].Take(10), grade) / ideal;
            utilitySet[v] = set[v].Sum(p => utility[p]);
            utilitySequential[v] = sequential[v].Sum(p => utility[p]);
        });
        var identical = Enumerable.Range(0, vacancies.Count).Count(v => set[v].Order().SequenceEqual(sequential[v].Order()));
        var jaccard = Enumerable.Range(0, vacancies.Count).Average(v =>
        {
            var a = set[v].ToHashSet();
            var union = a.Union(sequential[v]).Count();
            return union == 0 ? 1 : a.Intersect(sequential[v]).Count() / (double)union;
        });
        var proposalsSet = set.Sum(x => x.Count);
        var proposalsSequential = sequential.Sum(x => x.Count);
        w.Metric("identical_topk_share", identical / (double)vacancies.Count);
        w.Metric("topk_jaccard_mean", jaccard);
        w.Metric("ndcg_at_10", ndcgSet.Average());
        w.Metric("proposals", proposalsSet);
        w.Metric("utility_mean", utilitySet.Sum() / Math.Max(1, proposalsSet));
        w.Metric("vacancies_below_k", set.Count(x => x.Count < settings.TopK));
        w.Peer("sequential (replayed)", "ndcg_at_10", ndcgSequential.Average());
        w.Peer("sequential (replayed)", "proposals", proposalsSequential);
        w.Peer("sequential (replayed)", "utility_mean", utilitySequential.Sum() / Math.Max(1, proposalsSequential));
        w.Peer("sequential (replayed)", "vacancies_below_k", sequential.Count(x => x.Count < settings.TopK));
    }

    private static double Dcg(IEnumerable<int> positions, int[] grade) =>
        positions.Select((p, r) => (Math.Pow(2, grade[p]) - 1) / Math.Log2(r + 2)).Sum();
}
