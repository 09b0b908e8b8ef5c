namespace JobMatch.Notifications;

/// <summary>
/// How the outbox asks for a dispatch now instead of at the next scheduled run. Notifications owns this contract; the
/// background-jobs feature implements it (a Hangfire job), so this folder never depends on JobMatch.BackgroundJobs.
/// </summary>
internal interface INotificationTriggers
{
    void DispatchSoon();
}
