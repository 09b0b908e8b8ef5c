using Hangfire;
using JobMatch.Matching;

namespace JobMatch.BackgroundJobs;

/// <summary>Proposes candidates for one vacancy (published, or its skills changed). Idempotent (see <see cref="MatchProposer"/>).</summary>
internal sealed class ProposeMatchesForVacancy(MatchProposer proposer, ILogger<ProposeMatchesForVacancy> logger) : IHangfireJob
{
    public async Task RunAsync(long vacancyId, CancellationToken ct)
    {
        var result = await proposer.ProposeForVacancyAsync(vacancyId, ct);
        logger.LogInformation("Vacancy {VacancyId}: {Candidates} candidates, {Inserted} new proposals, {Updated} re-ranked",
            vacancyId, result.Candidates, result.Inserted, result.Updated);
    }
}

/// <summary>Re-ranks the open vacancies that share skills with one seeker, after their skills or profile changed.</summary>
internal sealed class ProposeMatchesForSeeker(MatchProposer proposer, ILogger<ProposeMatchesForSeeker> logger) : IHangfireJob
{
    public async Task RunAsync(long seekerId, CancellationToken ct)
    {
        var results = await proposer.ProposeForSeekerAsync(seekerId, ct);
        logger.LogInformation("Seeker {SeekerId}: {Vacancies} vacancies re-ranked, {Inserted} new proposals",
            seekerId, results.Count, results.Sum(r => r.Inserted));
    }
}

/// <summary>
/// The nightly re-match of every open vacancy, as one set-based pass (<see cref="NightlyRematch"/>). One at a time: a
/// second run waits for the first instead of doubling the work.
/// </summary>
[DisableConcurrentExecution(timeoutInSeconds: 60 * 60)]
internal sealed class RematchAll(NightlyRematch rematch, ILogger<RematchAll> logger) : IHangfireJob
{
    public async Task RunAsync(CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var result = await rematch.RunAsync(ct);
        logger.LogInformation("Re-matched {Vacancies} open vacancies in {ElapsedMs} ms: {Pairs} pairs scored, {Inserted} new proposals, {Updated} re-ranked, {Forbidden} dropped by the rule",
            result.Vacancies, started.ElapsedMilliseconds, result.ScoredPairs, result.Inserted, result.Updated, result.Forbidden);
    }
}
