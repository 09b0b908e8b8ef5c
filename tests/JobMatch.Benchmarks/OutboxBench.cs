using System.Diagnostics;
using System.Globalization;
using Hangfire;
using JobMatch.Identity;
using JobMatch.Notifications;
using JobMatch.Notifications.Templates;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Notifications;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace JobMatch.Benchmarks;

/// <summary>
/// B6: e-mails through the product's outbox (Outbox.EnqueueAsync in the writer's transaction, OutboxDispatcher with its
/// default senders and batches, MailKit to a local SMTP server), enqueued while a dispatcher runs continuously; against
/// one Hangfire job per e-mail on the product's Hangfire.PostgreSql storage. Counted by Message-ID at the server.
/// </summary>
internal sealed class OutboxBench(BenchRun run)
{
    public async Task RunAsync()
    {
        var w = run.Report.Add("B6", $"E-mail outbox drain, {run.Scale.Emails:N0} messages to a local SMTP server");
        await using var smtp = TestSmtpServer.Start(keepMessages: false);
        await using var host = ProductHost.Create(run.ConnectionString, new Dictionary<string, string?>
        {
            ["Smtp:Host"] = "127.0.0.1",
            ["Smtp:Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture),
            ["Smtp:SecureSocketOptions"] = "None",
        });
        var organisation = await TestUsers.CreateOrganisationAsync(host.Services, "employer", "Bench mail employer", "chamber");
        var recipients = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            recipients.Add((await TestUsers.CreateUserAsync(host.Services, Roles.Employer, organisation, $"bench-mail-{i}@example.org")).Id);
        }

        await OutboxAsync(host, smtp, recipients, 50, null); // warm-up
        await OutboxAsync(host, smtp, recipients, run.Scale.Emails, w);
        await HangfireAsync(host, smtp, recipients, 20, null);
        await HangfireAsync(host, smtp, recipients, run.Scale.HangfireJobs, w);
    }

    private async Task OutboxAsync(ProductHost host, TestSmtpServer smtp, List<Guid> recipients, int count, WorkloadResult? w)
    {
        var outbox = host.Services.GetRequiredService<Outbox>();
        var enqueued = new Dictionary<string, long>(StringComparer.Ordinal);
        using var stop = new CancellationTokenSource();
        var start = Stopwatch.GetTimestamp();
        var dispatcher = Task.Run(async () =>
        {
            // What the recurring job plus DispatchSoon() amount to under a steady stream: a dispatch run whenever rows are due.
            while (!stop.IsCancellationRequested)
            {
                await using var scope = host.Services.CreateAsyncScope();
                var result = await scope.ServiceProvider.GetRequiredService<OutboxDispatcher>().DispatchDueAsync(CancellationToken.None);
                if (result.Sent == 0) await Task.Delay(20, CancellationToken.None);
            }
        });
        await using (var connection = await run.DataSource.OpenConnectionAsync())
        {
            for (var i = 0; i < count; i += 50)
            {
                await using var tx = await connection.BeginTransactionAsync();
                var ids = new List<Guid>();
                for (var j = i; j < Math.Min(count, i + 50); j++)
                {
                    var message = NewOutboxMessage.Create(EmailTemplates.EmployerDigest, RecipientKinds.User, recipients[j % recipients.Count].ToString(),
                        new EmployerDigestArgs([new DigestVacancy(j + 1, "Sewing machine operator", "সেলাই মেশিন অপারেটর", j % 9 + 1)]));
                    await outbox.EnqueueAsync(connection, tx, message, CancellationToken.None);
                    ids.Add(message.Id);
                }
                await tx.CommitAsync();
                var now = Stopwatch.GetTimestamp();
                foreach (var id in ids) enqueued[MailComposer.MessageIdFor(id)] = now;
            }
        }
        var enqueueSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        await WaitForAsync(smtp, enqueued.Keys, TimeSpan.FromSeconds(120));
        await stop.CancelAsync();
        await dispatcher;
        if (w is not null) Summarise(w, null, smtp, enqueued, start, enqueueSeconds);
    }

    private async Task HangfireAsync(ProductHost host, TestSmtpServer smtp, List<Guid> recipients, int count, WorkloadResult? w)
    {
        var storage = host.Services.GetRequiredService<JobStorage>();
        var transport = host.Services.GetRequiredService<IMailTransport>();
        var composer = host.Services.GetRequiredService<MailComposer>();
        var text = host.Services.GetRequiredService<IStringLocalizer<EmailText>>();
        var baseUrl = host.Services.GetRequiredService<IOptions<NotificationOptions>>().Value.PublicBaseUrl;
        HangfireMailJob.Send = async (id, recipient) =>
        {
            var email = EmailTemplates.EmployerDigest.Render(new EmployerDigestArgs([new DigestVacancy(1, "Sewing machine operator", "সেলাই মেশিন অপারেটর", 3)]), new EmailContext(text, "en", baseUrl));
            await using var session = transport.OpenSession();
            await session.SendAsync(composer.Compose(id, new Recipient(recipient, "en"), email), CancellationToken.None);
        };
        var options = host.Services.GetRequiredService<IOptions<BackgroundJobs.BackgroundJobOptions>>().Value;
        using var server = new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = options.WorkerCount, SchedulePollingInterval = options.SchedulePollingInterval }, storage);
        var client = new BackgroundJobClient(storage);
        var enqueued = new Dictionary<string, long>(StringComparer.Ordinal);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var id = Guid.CreateVersion7();
            var address = $"bench-mail-{i % recipients.Count}@example.org";
            client.Enqueue(() => HangfireMailJob.SendAsync(id, address));
            enqueued[MailComposer.MessageIdFor(id)] = Stopwatch.GetTimestamp();
        }
        var enqueueSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        await WaitForAsync(smtp, enqueued.Keys, TimeSpan.FromSeconds(120));
        if (w is not null)
        {
            Summarise(w, "one Hangfire job per e-mail", smtp, enqueued, start, enqueueSeconds);
            w.Notes.Add($"The Hangfire peer ran {count:N0} jobs ({options.WorkerCount} workers, the product's Hangfire settings), not {run.Scale.Emails:N0}; " +
                        $"its wall_s_for_all is extrapolated to {run.Scale.Emails:N0} from its rate.");
            w.Peer("one Hangfire job per e-mail", "wall_s_for_all", run.Scale.Emails / w.Peers["one Hangfire job per e-mail"]["messages_per_s"]);
        }
    }

    private static async Task WaitForAsync(TestSmtpServer smtp, IEnumerable<string> ids, TimeSpan timeout)
    {
        var wanted = ids.ToHashSet(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var seen = smtp.Arrivals.Select(r => r.MessageId).Where(wanted.Contains).Distinct().Count();
            if (seen == wanted.Count) { await Task.Delay(500); return; } // a moment more, to catch duplicates
            await Task.Delay(50);
        }
    }

    private void Summarise(WorkloadResult w, string? peer, TestSmtpServer smtp, Dictionary<string, long> enqueued, long start, double enqueueSeconds)
    {
        var arrivals = smtp.Arrivals.Where(r => enqueued.ContainsKey(r.MessageId)).ToList();
        var first = arrivals.GroupBy(r => r.MessageId).ToDictionary(g => g.Key, g => g.Min(r => r.At), StringComparer.Ordinal);
        var lost = enqueued.Keys.Count(k => !first.ContainsKey(k));
        var duplicated = arrivals.Count - first.Count;
        var last = arrivals.Count == 0 ? start : arrivals.Max(r => r.At);
        var wall = Stopwatch.GetElapsedTime(start, last).TotalSeconds;
        var latency = first.Select(f => Stopwatch.GetElapsedTime(enqueued[f.Key], f.Value).TotalMilliseconds).ToList();
        void Set(string name, double value) { if (peer is null) w.Metric(name, value); else w.Peer(peer, name, value); }
        Set("messages", enqueued.Count);
        Set("wall_s", wall);
        Set("messages_per_s", first.Count / wall);
        Set("enqueue_s", enqueueSeconds);
        Set("enqueue_to_sent_p50_ms", Stats.Percentile(latency, 50));
        Set("enqueue_to_sent_p95_ms", Stats.Percentile(latency, 95));
        Set("lost", lost);
        Set("duplicated", duplicated);
        if (peer is null)
        {
            w.Notes.Add("JobMatch: messages written in transactions of 50 while one dispatch loop (OutboxDispatcher.DispatchDueAsync, product defaults: " +
                        "4 senders, batches of 200, sent recorded every 20) runs back to back, as the recurring job plus DispatchSoon() would under a steady stream.");
            w.Notes.Add("enqueue-to-sent = from the enqueuing transaction's commit to the SMTP server's acceptance. No crash is injected in this run.");
        }
        run.Log($"{peer ?? "outbox"}: {first.Count} delivered in {wall:F2} s, lost {lost}, duplicated {duplicated}");
    }
}

/// <summary>The Hangfire peer's job: one e-mail, its own SMTP connection. Public because Hangfire invokes public methods only.</summary>
public static class HangfireMailJob
{
    internal static Func<Guid, string, Task>? Send { get; set; }

    public static Task SendAsync(Guid id, string address) =>
        (Send ?? throw new InvalidOperationException("The benchmark did not set the sender."))(id, address);
}
