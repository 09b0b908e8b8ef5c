using Hangfire;
using JobMatch.Notifications;

namespace JobMatch.BackgroundJobs;

/// <summary>
/// Sends the due outbox messages (recurring, every few seconds; also enqueued by <see cref="NotificationJobs.DispatchSoon"/>).
/// Runs may overlap: rows are claimed with SKIP LOCKED, so each message goes to one run.
/// </summary>
[AutomaticRetry(Attempts = 0)] // a failed run is simply followed by the next scheduled one
internal sealed class DispatchOutbox(OutboxDispatcher dispatcher) : IHangfireJob
{
    public async Task RunAsync(CancellationToken ct) => await dispatcher.DispatchDueAsync(ct);
}
