using Hangfire;
using JobMatch.Notifications;

namespace JobMatch.BackgroundJobs;

/// <summary>A recurring job: a stable id, its default cron expression and how to register it.</summary>
internal sealed record RecurringSchedule(string Id, string DefaultCron, Action<IRecurringJobManager, string, string, RecurringJobOptions> Register);

/// <summary>
/// Every recurring job, in one place. Cron expressions with six fields include seconds; daily and weekly ones run
/// in <see cref="BackgroundJobOptions.TimeZone"/>. Override one with <c>BackgroundJobs:Schedules:&lt;id&gt;</c>;
/// "off" removes it. A job is a thin <see cref="IHangfireJob"/> class named as a verb whose method takes ids only
/// and calls its feature's service; it is added here (recurring) or enqueued through <c>IBackgroundJobClient</c>
/// by the feature that causes it (e.g. on publishing a vacancy).
/// </summary>
internal static class RecurringJobs
{
    public static readonly RecurringSchedule[] All =
    [
        new("dispatch-outbox", "*/10 * * * * *",
            (jobs, id, cron, options) => jobs.AddOrUpdate<DispatchOutbox>(id, job => job.RunAsync(CancellationToken.None), cron, options)),
        new("purge-finished-mail", "30 3 * * *",
            (jobs, id, cron, options) => jobs.AddOrUpdate<PurgeFinishedMail>(id, job => job.RunAsync(CancellationToken.None), cron, options)),
        // Matching: vacancy events at once (also enqueued after each publish), everything again at night.
        new("process-vacancy-events", "*/10 * * * * *",
            (jobs, id, cron, options) => jobs.AddOrUpdate<ProcessVacancyEvents>(id, job => job.RunAsync(CancellationToken.None), cron, options)),
        new("rematch-all", "0 2 * * *",
            (jobs, id, cron, options) => jobs.AddOrUpdate<RematchAll>(id, job => job.RunAsync(CancellationToken.None), cron, options)),
        new("send-employer-digests", "0 8 * * *",
            (jobs, id, cron, options) => jobs.AddOrUpdate<SendEmployerDigests>(id, job => job.RunAsync(CancellationToken.None), cron, options)),
        new("schedule-retention-checkins", "0 6 * * *",
            (jobs, id, cron, options) => jobs.AddOrUpdate<ScheduleRetentionCheckins>(id, job => job.RunAsync(CancellationToken.None), cron, options)),
        new("send-retention-checkins", "30 9 * * *",
            (jobs, id, cron, options) => jobs.AddOrUpdate<SendRetentionCheckins>(id, job => job.RunAsync(CancellationToken.None), cron, options)),
        // Housekeeping, after midnight Cox's Bazar time (closing dates are local dates).
        new("close-expired-vacancies", "5 0 * * *",
            (jobs, id, cron, options) => jobs.AddOrUpdate<CloseExpiredVacancies>(id, job => job.RunAsync(CancellationToken.None), cron, options)),
        new("expire-consents", "15 0 * * *",
            (jobs, id, cron, options) => jobs.AddOrUpdate<ExpireConsents>(id, job => job.RunAsync(CancellationToken.None), cron, options)),
        new("anonymise-inactive-seekers", "0 4 * * *",
            (jobs, id, cron, options) => jobs.AddOrUpdate<AnonymiseInactiveSeekers>(id, job => job.RunAsync(CancellationToken.None), cron, options)),
        new("retrain-ranking-model", "0 3 * * 0",
            (jobs, id, cron, options) => jobs.AddOrUpdate<RetrainRankingModel>(id, job => job.RunAsync(CancellationToken.None), cron, options)),
    ];

    public const string Off = "off";
}

/// <summary>Registers (or updates, or removes) the recurring jobs when a job server starts; idempotent across nodes.</summary>
internal sealed class RecurringJobRegistration(
    IRecurringJobManager jobs,
    Microsoft.Extensions.Options.IOptions<BackgroundJobOptions> options,
    ILogger<RecurringJobRegistration> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var recurringOptions = new RecurringJobOptions { TimeZone = FindTimeZone(settings.TimeZone) };
        foreach (var schedule in RecurringJobs.All)
        {
            var cron = settings.Schedules.GetValueOrDefault(schedule.Id) is { Length: > 0 } configured ? configured : schedule.DefaultCron;
            if (string.Equals(cron, RecurringJobs.Off, StringComparison.OrdinalIgnoreCase))
            {
                jobs.RemoveIfExists(schedule.Id);
                logger.LogInformation("Recurring job {RecurringJobId} is switched off", schedule.Id);
                continue;
            }
            schedule.Register(jobs, schedule.Id, cron, recurringOptions);
            logger.LogInformation("Recurring job {RecurringJobId} scheduled at {Cron}", schedule.Id, cron);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static TimeZoneInfo FindTimeZone(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
}
