using JobMatch.Notifications;

namespace JobMatch.BackgroundJobs;

/// <summary>Nightly: deletes finished outbox rows and old .eml files (<see cref="FinishedMailPurge"/>).</summary>
internal sealed class PurgeFinishedMail(FinishedMailPurge purge) : IHangfireJob
{
    public Task RunAsync(CancellationToken ct) => purge.PurgeAsync(ct);
}
