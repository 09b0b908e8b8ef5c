using Hangfire;
using JobMatch.Notifications;

namespace JobMatch.BackgroundJobs;

/// <summary>Notifications' triggers on Hangfire: a dispatch run enqueued now (the recurring one would come anyway).</summary>
internal sealed class NotificationJobs(IBackgroundJobClient jobs) : INotificationTriggers
{
    public void DispatchSoon() => jobs.Enqueue<DispatchOutbox>(job => job.RunAsync(CancellationToken.None));
}
