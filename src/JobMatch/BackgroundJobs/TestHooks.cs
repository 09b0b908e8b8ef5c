using Microsoft.Extensions.Options;

namespace JobMatch.BackgroundJobs;

/// <summary>
/// The <c>TestHooks</c> section: pauses at chosen points of the background work, so the fault-injection tests
/// (tests/JobMatch.Tests/Faults) can kill the process exactly there. Every hook is off (0) unless set; nothing in
/// production sets them.
/// </summary>
internal sealed class TestHookOptions
{
    public const string Section = "TestHooks";

    /// <summary>The Nth match-proposal batch of this process pauses after its matches are written, before its commit.</summary>
    public int PauseProposalBatch { get; set; }

    /// <summary>How long the paused proposal batch waits (a kill usually ends it first).</summary>
    public TimeSpan ProposalPause { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The dispatcher pauses after the Nth message of this process the SMTP server accepted, before recording it sent.</summary>
    public int PauseAfterSend { get; set; }
}

/// <summary>Where the hooks of <see cref="TestHookOptions"/> sit; each call does nothing unless its hook is set.</summary>
internal sealed class TestHooks(IOptions<TestHookOptions> options, ILogger<TestHooks> logger)
{
    private int _proposalBatches;
    private int _sends;

    public async Task ProposalWrittenAsync(long vacancyId, CancellationToken ct)
    {
        var at = options.Value.PauseProposalBatch;
        if (at <= 0 || Interlocked.Increment(ref _proposalBatches) != at) return;
        logger.LogWarning("TEST HOOK paused: proposals for vacancy {VacancyId} written, not committed", vacancyId);
        await Task.Delay(options.Value.ProposalPause, ct);
        logger.LogWarning("TEST HOOK resumed: proposals for vacancy {VacancyId}", vacancyId);
    }

    public async Task SentAsync(Guid notificationId, CancellationToken ct)
    {
        var at = options.Value.PauseAfterSend;
        if (at <= 0 || Interlocked.Increment(ref _sends) != at) return;
        logger.LogWarning("TEST HOOK paused: notification {NotificationId} accepted by SMTP, not recorded as sent", notificationId);
        await Task.Delay(Timeout.InfiniteTimeSpan, ct);
    }
}
