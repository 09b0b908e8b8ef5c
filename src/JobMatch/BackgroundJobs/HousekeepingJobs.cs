using Hangfire;
using JobMatch.Consent;
using JobMatch.Seekers;
using JobMatch.Vacancies;
using Microsoft.Extensions.Options;

namespace JobMatch.BackgroundJobs;

/// <summary>Daily: closes open vacancies whose closing date has passed (Cox's Bazar date); their proposals are then withdrawn by <see cref="ProcessVacancyEvents"/>.</summary>
internal sealed class CloseExpiredVacancies(VacancyQueries vacancies, MatchingContract.IMatchingTriggers matching, TimeProvider time, ILogger<CloseExpiredVacancies> logger) : IHangfireJob
{
    public async Task RunAsync(CancellationToken ct)
    {
        var closed = await vacancies.CloseExpiredAsync(BoardClock.Today(time), ct);
        if (closed > 0) matching.VacancyEventsRecorded();
        logger.LogInformation("Closed {Vacancies} vacancies past their closing date", closed);
    }
}

/// <summary>
/// Daily: consents past their end date. Every check already treats them as inactive (the <c>matchable_seeker</c> view
/// and <c>ConsentQueries</c> compare <c>expires_at</c> with now()); this records the end as a withdrawal at the
/// expiry and audits it, so the consent history says what happened.
/// </summary>
internal sealed class ExpireConsents(ConsentQueries consents, ILogger<ExpireConsents> logger) : IHangfireJob
{
    public async Task RunAsync(CancellationToken ct)
    {
        var expired = await consents.ExpireAsync(ct);
        logger.LogInformation("Recorded {Consents} consents as expired", expired);
    }
}

/// <summary>
/// Daily: erases seekers with no activity for <see cref="RetentionOptions.InactiveSeekerMonths"/> months through the
/// same erasure a case worker starts (R22, R23): identity, contact, case file and consents go; the pseudonymous
/// statistics stay. One at a time, in batches, each erasure its own transaction.
/// </summary>
[DisableConcurrentExecution(timeoutInSeconds: 60 * 60)]
internal sealed class AnonymiseInactiveSeekers(SeekerQueries seekers, SeekerErasure erasure, TimeProvider time, IOptions<RetentionOptions> options,
    ILogger<AnonymiseInactiveSeekers> logger) : IHangfireJob
{
    private const int BatchSize = 200;

    public async Task RunAsync(CancellationToken ct)
    {
        var months = options.Value.InactiveSeekerMonths;
        if (months <= 0)
        {
            logger.LogInformation("Anonymising inactive seekers is switched off");
            return;
        }
        var cutoff = time.GetUtcNow().AddMonths(-months);
        var erased = 0;
        long afterId = 0;
        while (true)
        {
            var (inactive, lastScanned) = await seekers.InactiveSinceAsync(cutoff, afterId, BatchSize, ct);
            foreach (var (id, reference) in inactive)
            {
                await erasure.EraseAsync(id, reference, ct);
                erased++;
            }
            if (lastScanned is not { } last) break;
            afterId = last;
        }
        logger.LogInformation("Erased {Seekers} seekers inactive for {Months} months", erased, months);
    }
}

/// <summary>The <c>Retention</c> section.</summary>
internal sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>Seekers inactive this long are erased; 0 switches it off.</summary>
    public int InactiveSeekerMonths { get; set; } = 24;
}
