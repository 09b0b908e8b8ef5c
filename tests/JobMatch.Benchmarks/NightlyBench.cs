using System.Diagnostics;
using Dapper;
using JobMatch.Matching;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace JobMatch.Benchmarks;

/// <summary>
/// B4: the nightly re-match, as <see cref="MatchProposer.ProposeAllAsync"/> does it (every open vacancy of a verified
/// employer, in id order, one <see cref="MatchProposer.ProposeForVacancyAsync"/> each, proposals written), called per
/// vacancy here so that a time budget can stop it; when it stops early the wall time is extrapolated and said so.
/// </summary>
internal sealed class NightlyBench(BenchRun run)
{
    public async Task RunAsync()
    {
        var w = run.Report.Add("B4", "Nightly re-match of all open vacancies (proposals written)");
        var db = run.DataSource;
        var rankers = new RankerProvider(db, TimeProvider.System, NullLogger<RankerProvider>.Instance);
        var catalog = new SkillCatalog(db);
        var proposer = new MatchProposer(db, new CandidateQueries(), rankers, catalog, Options.Create(new MatchingOptions()), TimeProvider.System);
        // Once per process, not per vacancy: loading the model from the registry and the skill catalogue. Paid before
        // the clock so that the per-vacancy rate (and the extrapolation from it) is the steady state the job runs at.
        await rankers.CurrentAsync(CancellationToken.None);
        await catalog.FeatureContextAsync(CancellationToken.None);
        long[] vacancyIds;
        await using (var c = await db.OpenConnectionAsync())
        {
            vacancyIds = (await c.QueryAsync<long>(
                "SELECT v.id FROM vacancy v JOIN employer e ON e.organisation_id = v.employer_id AND e.status = 'verified' WHERE v.status = 'open' ORDER BY v.id")).ToArray();
        }

        var clock = Stopwatch.StartNew();
        int done = 0, candidates = 0, inserted = 0;
        foreach (var id in vacancyIds)
        {
            var result = await proposer.ProposeForVacancyAsync(id, CancellationToken.None);
            done++;
            candidates += result.Candidates;
            inserted += result.Inserted;
            if (clock.Elapsed > run.Scale.NightlyBudget) break;
        }
        clock.Stop();
        var perVacancy = clock.Elapsed.TotalSeconds / done;
        w.Metric("vacancies_total", vacancyIds.Length);
        w.Metric("vacancies_done", done);
        w.Metric("measured_s", clock.Elapsed.TotalSeconds);
        w.Metric("wall_s", perVacancy * vacancyIds.Length);
        w.Metric("vacancies_per_s", done / clock.Elapsed.TotalSeconds);
        w.Metric("candidates_per_s", candidates / clock.Elapsed.TotalSeconds);
        w.Metric("proposals_written", inserted);
        if (done < vacancyIds.Length)
        {
            w.Notes.Add($"Stopped by the {run.Scale.NightlyBudget.TotalSeconds:F0} s budget after {done:N0} of {vacancyIds.Length:N0} vacancies; wall_s is extrapolated from their rate (the first vacancies by id, no different from the rest).");
        }
        w.Notes.Add("One vacancy at a time, as ProposeAllAsync runs: one candidate statement (hard filters, pool 1,000, profiles), features, model scores, explanations for the top 30 (one batch), upsert with match_event rows. The model and skill catalogue are loaded before the clock starts.");
    }
}
