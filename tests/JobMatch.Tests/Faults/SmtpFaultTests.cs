using System.Text.Json;
using JobMatch.Identity;
using JobMatch.Notifications;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Notifications;
using Xunit.Abstractions;

namespace JobMatch.Tests.Faults;

/// <summary>
/// The app as a child process while its mail server is down, then up with one mailbox answering 451 three times and
/// one answering 550 (SECURITY.md F3, F4). The in-process variants of the 451/550 rules are in OutboxDispatchTests;
/// this one runs them through the real job server, schedules and restarts of the SMTP listener.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class SmtpFaultTests(PostgresFixture database, ITestOutputHelper output)
{
    [Fact]
    public async Task Mail_IsDeliveredOnceWithBackoff_WhenSmtpIsDownThenUp()
    {
        const int messages = 10;
        await using var world = await FaultWorld.CreateAsync(database);
        await using var smtp = TestSmtpServer.Stopped();
        var ids = new List<Guid>();
        for (var i = 0; i < messages; i++)
        {
            var (userId, _) = await world.UserAsync(Roles.JobSeeker, null, $"f3-{Guid.NewGuid():N}@example.org");
            ids.Add(await world.NotifyAsync(userId));
        }

        var down = System.Diagnostics.Stopwatch.StartNew(); // the job server may start dispatching before the app answers HTTP
        await using var app = await AppProcess.StartAsync(world.AppSettings(smtp), output);
        using var probe = app.CreateClient();
        string? degraded = null;
        await FaultWorld.WaitUntilAsync(async () => (degraded = MailCheck(await probe.GetStringAsync("/health/ready"))) == "Degraded",
            TimeSpan.FromSeconds(15), "/health/ready reports mail degraded while SMTP is down", app);
        await Task.Delay(TimeSpan.FromSeconds(12)); // down for a while after the first failed attempt
        var downFor = down.Elapsed;
        var attemptsWhileDown = await world.QueryAsync<int>("SELECT attempts FROM outbox_message WHERE id = ANY (@ids)", new { ids = ids.ToArray() });
        var sentWhileDown = await world.ScalarAsync<long>("SELECT count(*) FROM outbox_message WHERE status = 'sent'");

        // F4 beside it, once the server is up (so no attempt meets a closed port): one mailbox answers 451 three times, another 550.
        var soft = $"soft-{Guid.NewGuid():N}@example.org";
        var hard = $"hard-{Guid.NewGuid():N}@example.org";
        smtp.Script(soft, 451, 451, 451);
        smtp.Script(hard, 550);
        smtp.Listen();
        var up = System.Diagnostics.Stopwatch.StartNew();
        var softId = await world.NotifyAsync((await world.UserAsync(Roles.JobSeeker, null, soft)).Id);
        var hardId = await world.NotifyAsync((await world.UserAsync(Roles.JobSeeker, null, hard)).Id);
        await FaultWorld.WaitUntilAsync(async () =>
            await world.ScalarAsync<long>("SELECT count(*) FROM outbox_message WHERE status = 'sent'") == messages + 1
            && await world.ScalarAsync<long>("SELECT count(*) FROM outbox_message WHERE status = 'failed_permanent'") == 1,
            TimeSpan.FromSeconds(45), "everything delivered or given up after SMTP came back", app);
        var deliveredIn = up.Elapsed;
        await FaultWorld.WaitUntilAsync(async () => MailCheck(await probe.GetStringAsync("/health/ready")) == "Healthy",
            TimeSpan.FromSeconds(10), "/health/ready reports mail healthy again", app);

        var received = smtp.Received.Select(m => m.MessageId ?? "").ToList();
        var lost = ids.Append(softId).Count(id => !received.Contains(MailComposer.MessageIdFor(id)));
        var duplicates = received.Count - received.Distinct().Count();
        var softRow = await world.QueryAsync<(string Status, int Attempts)>("SELECT status, attempts FROM outbox_message WHERE id = @softId", new { softId });
        var hardRow = await world.QueryAsync<(string Status, int Attempts)>("SELECT status, attempts FROM outbox_message WHERE id = @hardId", new { hardId });
        output.WriteLine($"SMTP down {FaultWorld.Seconds(downFor)}: health 'mail' {degraded}, {sentWhileDown} sent, attempts per message " +
            $"{attemptsWhileDown.Min()}–{attemptsWhileDown.Max()} (backoff 1 s doubling to 4 s, dispatch every second)");
        output.WriteLine($"SMTP up: all delivered in {FaultWorld.Seconds(deliveredIn)}; {messages + 1} expected, {received.Count} received, {lost} lost, {duplicates} duplicates; " +
            $"451×3 mailbox: {softRow[0].Status} after {softRow[0].Attempts} attempts; 550 mailbox: {hardRow[0].Status} after {hardRow[0].Attempts} attempt(s)");

        Assert.Equal(0, sentWhileDown);
        // Backoff: after the first retries the delay is at least half the 4 s cap, so at most about one attempt per 2 s;
        // without backoff the per-second dispatch would make one per second.
        Assert.InRange(attemptsWhileDown.Max(), 2, 3 + (int)(downFor.TotalSeconds / 2)); // and retrying did go on
        Assert.Equal(0, lost);
        Assert.Equal(0, duplicates);
        Assert.Equal(("sent", 4), softRow[0]);
        Assert.Equal(("failed_permanent", 1), hardRow[0]);
        Assert.DoesNotContain(MailComposer.MessageIdFor(hardId), received);
    }

    /// <summary>The status of the "mail" check in /health/ready's JSON.</summary>
    private static string? MailCheck(string json) =>
        JsonDocument.Parse(json).RootElement.GetProperty("checks").TryGetProperty("mail", out var mail) ? mail.GetProperty("status").GetString() : null;
}
