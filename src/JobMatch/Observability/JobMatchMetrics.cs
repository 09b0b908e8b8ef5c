using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace JobMatch.Observability;

/// <summary>
/// JobMatch's own traces and metrics. Every label is from a short fixed list (channel, ranker kind, job class name,
/// outcome, reason): never an id, a name, an address or anything a person typed, so no label can carry personal data
/// and the number of series stays small.
/// </summary>
internal static class JobMatchMetrics
{
    public const string Name = "JobMatch";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Sent = Meter.CreateCounter<long>("jobmatch.messages.sent", "{message}", "Messages handed to the mail server or SMS gateway");
    private static readonly Counter<long> Failed = Meter.CreateCounter<long>("jobmatch.messages.failed", "{message}", "Messages given up on (permanent failure)");
    private static readonly Counter<long> Proposals = Meter.CreateCounter<long>("jobmatch.proposals.made", "{proposal}", "Matches proposed (new rows)");
    private static readonly Counter<long> Fallbacks = Meter.CreateCounter<long>("jobmatch.ranker.fallbacks", "{event}", "Times the rule ranker served because the model could not");
    private static readonly Counter<long> SignInFailures = Meter.CreateCounter<long>("jobmatch.signin.failures", "{attempt}", "Failed sign-ins");
    private static readonly Counter<long> SignInThrottles = Meter.CreateCounter<long>("jobmatch.signin.throttled", "{attempt}", "Sign-ins refused by the throttle");
    private static readonly Histogram<double> JobDuration = Meter.CreateHistogram<double>("jobmatch.job.duration", "s", "Background job run time");

    private static volatile string _rankerInUse = "unknown";

    static JobMatchMetrics()
    {
        Meter.CreateObservableGauge("jobmatch.ranker.in_use", () => new Measurement<int>(1, new KeyValuePair<string, object?>("ranker", _rankerInUse)),
            description: "The ranker serving matches (1 for the one in use)");
    }

    public static void MessagesSent(string channel, long count) => Sent.Add(count, new KeyValuePair<string, object?>("channel", channel));
    public static void MessageFailed(string channel) => Failed.Add(1, new KeyValuePair<string, object?>("channel", channel));
    public static void ProposalsMade(long count) => Proposals.Add(count);
    public static void RankerInUse(string kind, bool fellBack)
    {
        _rankerInUse = kind;
        if (fellBack) Fallbacks.Add(1);
    }
    public static void SignInFailed() => SignInFailures.Add(1);
    public static void SignInThrottled() => SignInThrottles.Add(1);
    public static void JobRan(string job, bool succeeded, TimeSpan duration) =>
        JobDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("job", job), new KeyValuePair<string, object?>("outcome", succeeded ? "succeeded" : "failed"));
}
