using Hangfire;
using JobMatch.Matching;
using JobMatch.MatchingContract;

namespace JobMatch.BackgroundJobs;

/// <summary>
/// Matching's triggers on Hangfire. Each call only enqueues a job with ids (the jobs are idempotent, so an extra call
/// costs a little work and nothing else); the recurring <see cref="ProcessVacancyEvents"/> and the nightly
/// <see cref="RematchAll"/> catch anything a crash between the commit and the enqueue left behind.
/// </summary>
internal sealed class MatchingJobs(IBackgroundJobClient jobs) : IMatchingTriggers
{
    /// <summary>Above this many seekers changed at once (a training provider's upload), one re-match of every open vacancy is cheaper.</summary>
    public const int SeekersBeforeRematchAll = 20;

    public void VacancyEventsRecorded() => jobs.Enqueue<ProcessVacancyEvents>(job => job.RunAsync(CancellationToken.None));

    public void SeekerChanged(long seekerId) => jobs.Enqueue<ProposeMatchesForSeeker>(job => job.RunAsync(seekerId, CancellationToken.None));

    public void SeekersChanged(IReadOnlyCollection<long> seekerIds)
    {
        if (seekerIds.Count > SeekersBeforeRematchAll)
        {
            jobs.Enqueue<RematchAll>(job => job.RunAsync(CancellationToken.None));
            return;
        }
        foreach (var seekerId in seekerIds) SeekerChanged(seekerId);
    }
}
