namespace JobMatch.BackgroundJobs;

/// <summary>The <c>BackgroundJobs</c> configuration section.</summary>
internal sealed class BackgroundJobOptions
{
    public const string Section = "BackgroundJobs";

    /// <summary>Run the Hangfire server in this process. Off on web-only nodes (and in the test app).</summary>
    public bool RunServer { get; set; } = true;

    public int WorkerCount { get; set; } = Math.Clamp(Environment.ProcessorCount * 2, 2, 10);

    /// <summary>How often idle workers look for jobs enqueued by another process (Hangfire.PostgreSql's default is 15 s).</summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the server looks for due recurring and delayed jobs (needed for second-level schedules).</summary>
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A job whose worker died is fetched again after this; sliding, so a long healthy job is never run twice.</summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(30);

    public TimeSpan DistributedLockTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long stopping waits for running jobs before cancelling them.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The time zone of daily and weekly schedules (digests in the morning, Cox's Bazar time).</summary>
    public string TimeZone { get; set; } = "Asia/Dhaka";

    /// <summary>Cron expressions by recurring job id, overriding the defaults; "off" removes the job.</summary>
    public Dictionary<string, string> Schedules { get; set; } = [];
}
