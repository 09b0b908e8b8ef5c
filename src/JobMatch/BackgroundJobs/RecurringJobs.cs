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
        new("remind-offers-by-sms", "0 10 * * *",
            (jobs, id, cron, options) => jobs.AddOrUpdate<RemindOffersBySms>(id, job => job.RunAsync(CancellationToken.None), cron, options)),
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

/// <summary>
/// Registers (or updates, or removes) the recurring jobs when a job server starts; idempotent across nodes. A job
/// whose Hangfire lock is still held by a process that died holding it (kill -9 while the scheduler ran it; the lock
/// expires after <see cref="BackgroundJobOptions.DistributedLockTimeout"/>) is registered in the background once the
/// lock expires, instead of failing the start-up (found by the fault-injection tests, SECURITY.md F2).
/// </summary>
internal sealed class RecurringJobRegistration(
    IRecurringJobManager jobs,
    Microsoft.Extensions.Options.IOptions<BackgroundJobOptions> options,
    ILogger<RecurringJobRegistration> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);
    private readonly CancellationTokenSource _stopping = new();
    private Task _retrying = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var recurringOptions = new RecurringJobOptions { TimeZone = FindTimeZone(settings.TimeZone) };
        var locked = RecurringJobs.All.Where(schedule => !TryRegister(schedule, settings, recurringOptions)).ToList();
        if (locked.Count > 0) _retrying = RetryAsync(locked, settings, recurringOptions, _stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        try
        {
            await _retrying.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the next start registers what is left.
        }
    }

    private async Task RetryAsync(List<RecurringSchedule> locked, BackgroundJobOptions settings, RecurringJobOptions recurringOptions, CancellationToken ct)
    {
        while (locked.Count > 0)
        {
            await Task.Delay(RetryDelay, ct);
            locked.RemoveAll(schedule => TryRegister(schedule, settings, recurringOptions));
        }
    }

    /// <returns>False when the job's lock is held (retry later); true when registered, removed or switched off.</returns>
    private bool TryRegister(RecurringSchedule schedule, BackgroundJobOptions settings, RecurringJobOptions recurringOptions)
    {
        var cron = settings.Schedules.GetValueOrDefault(schedule.Id) is { Length: > 0 } configured ? configured : schedule.DefaultCron;
        try
        {
            if (string.Equals(cron, RecurringJobs.Off, StringComparison.OrdinalIgnoreCase))
            {
                jobs.RemoveIfExists(schedule.Id);
                logger.LogInformation("Recurring job {RecurringJobId} is switched off", schedule.Id);
                return true;
            }
            schedule.Register(jobs, schedule.Id, cron, recurringOptions);
            logger.LogInformation("Recurring job {RecurringJobId} scheduled at {Cron}", schedule.Id, cron);
            return true;
        }
        catch (Exception e) when (e is Hangfire.Storage.DistributedLockTimeoutException or Hangfire.PostgreSql.PostgreSqlDistributedLockException)
        {
            logger.LogWarning("Recurring job {RecurringJobId} not registered yet: its lock is held (by a process that died, until the lock expires); retrying in the background",
                schedule.Id);
            return false;
        }
    }

    public void Dispose() => _stopping.Dispose();

    private static TimeZoneInfo FindTimeZone(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
}
