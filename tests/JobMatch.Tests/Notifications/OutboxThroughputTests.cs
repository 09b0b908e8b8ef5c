using System.Diagnostics;
using JobMatch.Notifications;
using JobMatch.Notifications.Templates;
using JobMatch.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JobMatch.Tests.Notifications;

/// <summary>
/// Concurrent dispatchers split the outbox between them (SKIP LOCKED) and deliver every message exactly once.
/// The rate is written to the test output, not asserted; set JOBMATCH_OUTBOX_MEASURE=2000 to measure a bigger drain.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OutboxThroughputTests(PostgresFixture database, ITestOutputHelper output)
{
    [Fact]
    public async Task ConcurrentDispatchers_DeliverEveryMessageExactlyOnce_WhenDrainingABacklog()
    {
        var measuring = int.TryParse(Environment.GetEnvironmentVariable("JOBMATCH_OUTBOX_MEASURE"), out var n);
        var count = measuring ? n : 300;
        await using var smtp = TestSmtpServer.Start();
        await using var host = new OutboxTestHost(database, smtp, new Dictionary<string, string?>
        {
            ["Notifications:BatchSize"] = measuring ? "50" : "20",
            ["Notifications:Senders"] = measuring ? Environment.GetEnvironmentVariable("JOBMATCH_OUTBOX_SENDERS") ?? "4" : "1",
            ["Notifications:MarkSentEvery"] = Environment.GetEnvironmentVariable("JOBMATCH_OUTBOX_MARK_EVERY") ?? "20",
        });
        var users = new List<Guid>();
        for (var i = 0; i < 3; i++) users.Add(await host.CreateRecipientAsync(OutboxTestHost.CanaryAddress(), i % 2 == 0 ? "en" : "bn"));
        var outbox = host.Services.GetRequiredService<Outbox>();
        var ids = new List<Guid>();
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            for (var i = 0; i < count; i++)
            {
                var message = NewOutboxMessage.Create(EmailTemplates.EmployerDigest, RecipientKinds.User, users[i % users.Count].ToString(),
                    new EmployerDigestArgs([new DigestVacancy(i, "Sewing machine operator", null, i % 9 + 1)]));
                await outbox.EnqueueAsync(connection, transaction, message, CancellationToken.None);
                ids.Add(message.Id);
            }
            await transaction.CommitAsync();
        }

        var clock = Stopwatch.StartNew();
        var results = await Task.WhenAll(host.DispatchAsync(), host.DispatchAsync());
        while (results.Sum(r => r.Sent) < count && clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            results = [.. results, await host.DispatchAsync()];
        }
        clock.Stop();

        var received = smtp.Received.GroupBy(m => m.MessageId).ToDictionary(g => g.Key!, g => g.Count());
        Assert.All(ids, id => Assert.Equal(1, received.GetValueOrDefault($"{id}@jobmatch")));
        Assert.True(results[0].Sent > 0 && results[1].Sent > 0, "both dispatchers took part");
        output.WriteLine($"{count} e-mails in {clock.Elapsed.TotalSeconds:F2} s = {count / clock.Elapsed.TotalSeconds:F0} e-mails/s " +
            $"(two dispatchers: {results[0].Sent} + {results[1].Sent}; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
    }
}
