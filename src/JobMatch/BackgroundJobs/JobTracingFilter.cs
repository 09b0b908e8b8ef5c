using System.Diagnostics;
using Hangfire.Server;

using JobMatch.Observability;

namespace JobMatch.BackgroundJobs;

/// <summary>
/// A span and a duration for each Hangfire job run, named by the job's class and method only. Arguments are ids, but
/// they are left out all the same: a span is no place to join records by.
/// </summary>
internal sealed class JobTracingFilter : IServerFilter
{
    private const string ActivityKey = "jobmatch.activity";
    private const string ClockKey = "jobmatch.clock";
    private static int _registered;

    /// <summary>Adds the filter to Hangfire's global filters once per process (several hosts may start in one process).</summary>
    public static void RegisterOnce()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0) Hangfire.GlobalJobFilters.Filters.Add(new JobTracingFilter());
    }

    public void OnPerforming(PerformingContext context)
    {
        var job = JobName(context);
        var activity = JobMatchMetrics.Source.StartActivity("job " + job, ActivityKind.Internal);
        activity?.SetTag("jobmatch.job", job);
        context.Items[ActivityKey] = activity;
        context.Items[ClockKey] = Stopwatch.StartNew();
    }

    public void OnPerformed(PerformedContext context)
    {
        var succeeded = context.Exception is null || context.ExceptionHandled;
        if (context.Items.TryGetValue(ClockKey, out var clock) && clock is Stopwatch stopwatch)
        {
            JobMatchMetrics.JobRan(JobName(context), succeeded, stopwatch.Elapsed);
        }
        if (context.Items.TryGetValue(ActivityKey, out var item) && item is Activity activity)
        {
            // The exception's type only: its message may quote data.
            if (!succeeded) activity.SetStatus(ActivityStatusCode.Error, context.Exception!.GetType().Name);
            activity.Dispose();
        }
    }

    private static string JobName(PerformContext context) => context.BackgroundJob.Job.Type.Name;
}
