using Dapper;
using JobMatch.Notifications;
using JobMatch.Tests.Infrastructure;
using MimeKit;

namespace JobMatch.Tests.Notifications;

/// <summary>The outbox dispatcher against real PostgreSQL and a real SMTP server in the test process.</summary>
[Collection(PostgresCollection.Name)]
public sealed class OutboxDispatchTests(PostgresFixture database)
{
    [Fact]
    public async Task Dispatch_DeliversEachMessageOnceWithMessageIdFromNotificationId_WhenRunTwice()
    {
        await using var smtp = TestSmtpServer.Start();
        await using var host = new OutboxTestHost(database, smtp);
        var address = OutboxTestHost.CanaryAddress();
        var user = await host.CreateRecipientAsync(address);
        var ids = new[] { await host.EnqueueGenericAsync(user), await host.EnqueueGenericAsync(user), await host.EnqueueGenericAsync(user) };

        await host.DispatchAsync();
        await host.DispatchAsync();

        foreach (var id in ids)
        {
            var received = Assert.Single(smtp.ReceivedWithId($"{id}@jobmatch"));
            Assert.Equal(address, Assert.Single(received.To.Mailboxes).Address);
            Assert.Equal("JobMatch", Assert.Single(received.From.Mailboxes).Name);
            Assert.Contains($"<{id}@jobmatch>", received.Headers[HeaderId.MessageId]);
            Assert.NotNull(received.TextBody);
            Assert.NotNull(received.HtmlBody);
            var row = await host.RowAsync(id);
            Assert.Equal(OutboxStatus.Sent, row.Status);
            Assert.Equal(1, row.Attempts);
        }
    }

    [Fact]
    public async Task Dispatch_DeliversEveryPendingMessageOnce_WhenSmtpServerReturnsAfterBeingDown()
    {
        await using var smtp = TestSmtpServer.Stopped(); // nothing listens on the port yet
        await using var host = new OutboxTestHost(database, smtp);
        var user = await host.CreateRecipientAsync(OutboxTestHost.CanaryAddress());
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++) ids.Add(await host.EnqueueGenericAsync(user)); // the enqueuing transactions commit

        var down = await host.DispatchAsync();

        Assert.Equal(0, down.Sent);
        foreach (var id in ids)
        {
            var row = await host.RowAsync(id);
            Assert.Equal(OutboxStatus.Pending, row.Status);
            Assert.True(row.Attempts <= 1);
            Assert.True(row.Attempts == 0 || row.NextAttemptAt > DateTimeOffset.UtcNow.AddMilliseconds(-200), "a failed attempt backs off");
        }

        smtp.Listen();
        await host.MakeDueAsync([.. ids]);
        await host.DispatchAsync();
        await host.MakeDueAsync([.. ids]);
        await host.DispatchAsync();

        foreach (var id in ids)
        {
            Assert.Single(smtp.ReceivedWithId($"{id}@jobmatch"));
            Assert.Equal(OutboxStatus.Sent, (await host.RowAsync(id)).Status);
        }
    }

    [Fact]
    public async Task Dispatch_FailsPermanentlyAfterOneAttemptAndAlertsAdmin_WhenServerAnswers550()
    {
        await using var smtp = TestSmtpServer.Start();
        await using var host = new OutboxTestHost(database, smtp);
        var address = OutboxTestHost.CanaryAddress();
        smtp.Script(address, 550, 550, 550);
        var id = await host.EnqueueGenericAsync(await host.CreateRecipientAsync(address));

        await host.DispatchAsync();
        await host.MakeDueAsync(id);
        await host.DispatchAsync();

        var row = await host.RowAsync(id);
        Assert.Equal(OutboxStatus.FailedPermanent, row.Status);
        Assert.Equal(1, row.Attempts);
        Assert.StartsWith("SMTP 550", row.LastError);
        Assert.DoesNotContain(address, row.LastError!); // the server's text names the address; the row must not
        Assert.Empty(smtp.ReceivedWithId($"{id}@jobmatch"));

        var (admin, _) = await host.App.SignedInClientAsync(JobMatch.Identity.Roles.Admin);
        var page = await admin.GetStringAsync("/admin/outbox");
        Assert.Contains("role=\"alert\"", page);
        Assert.Contains(id.ToString(), page);
        Assert.Contains("SMTP 550", page);
    }

    [Fact]
    public async Task Dispatch_RetriesThenDelivers_WhenServerAnswers451()
    {
        await using var smtp = TestSmtpServer.Start();
        await using var host = new OutboxTestHost(database, smtp);
        var address = OutboxTestHost.CanaryAddress();
        smtp.Script(address, 451, 451);
        var id = await host.EnqueueGenericAsync(await host.CreateRecipientAsync(address));

        await host.DispatchAsync();
        var afterFirst = await host.RowAsync(id);
        Assert.Equal(OutboxStatus.Pending, afterFirst.Status);
        Assert.Equal(1, afterFirst.Attempts);
        Assert.StartsWith("SMTP 451", afterFirst.LastError);
        Assert.True(afterFirst.NextAttemptAt > DateTimeOffset.UtcNow, "retried later, not at once");

        await host.DispatchAsync(); // not due yet: nothing happens
        Assert.Equal(1, (await host.RowAsync(id)).Attempts);

        await host.MakeDueAsync(id);
        await host.DispatchAsync();
        await host.MakeDueAsync(id);
        await host.DispatchAsync();

        var row = await host.RowAsync(id);
        Assert.Equal(OutboxStatus.Sent, row.Status);
        Assert.Equal(3, row.Attempts);
        Assert.Single(smtp.ReceivedWithId($"{id}@jobmatch"));
    }

    [Fact]
    public async Task Dispatch_SendsToCurrentAddress_WhenAddressChangedAfterEnqueue()
    {
        await using var smtp = TestSmtpServer.Start();
        await using var host = new OutboxTestHost(database, smtp);
        var oldAddress = OutboxTestHost.CanaryAddress();
        var newAddress = OutboxTestHost.CanaryAddress();
        var user = await host.CreateRecipientAsync(oldAddress);
        var id = await host.EnqueueGenericAsync(user);
        await TestUsers.SetEmailAsync(host.Services, user, newAddress);

        await host.DispatchAsync();

        var received = Assert.Single(smtp.ReceivedWithId($"{id}@jobmatch"));
        Assert.Equal(newAddress, Assert.Single(received.To.Mailboxes).Address);
        Assert.DoesNotContain(smtp.Received, m => m.To.Mailboxes.Any(a => a.Address == oldAddress));
    }

    [Fact]
    public async Task Dispatch_CancelsAndSendsNothing_WhenRecipientErasedOrUnknown()
    {
        await using var smtp = TestSmtpServer.Start();
        await using var host = new OutboxTestHost(database, smtp);
        var user = await host.CreateRecipientAsync(OutboxTestHost.CanaryAddress());
        var erased = await host.EnqueueGenericAsync(user);
        var unknown = await host.EnqueueGenericAsync(Guid.NewGuid());
        await TestUsers.SetEmailAsync(host.Services, user, null);

        await host.DispatchAsync();

        foreach (var id in new[] { erased, unknown })
        {
            Assert.Equal(OutboxStatus.Cancelled, (await host.RowAsync(id)).Status);
            Assert.Empty(smtp.ReceivedWithId($"{id}@jobmatch"));
        }
    }

    [Fact]
    public async Task Dispatch_WritesInRecipientLanguage_WhenRecipientPrefersBangla()
    {
        await using var smtp = TestSmtpServer.Start();
        await using var host = new OutboxTestHost(database, smtp);
        var user = await host.CreateRecipientAsync(OutboxTestHost.CanaryAddress(), language: "bn");
        const long vacancy = 4712;
        var id = await host.EnqueueAsync(NewOutboxMessage.Create(JobMatch.Notifications.Templates.EmailTemplates.EmployerDigest,
            RecipientKinds.User, user.ToString(), new JobMatch.Notifications.Templates.EmployerDigestArgs([new JobMatch.Notifications.Templates.DigestVacancy(vacancy, "Tailor", "দর্জি", 3)])));

        await host.DispatchAsync();

        var received = Assert.Single(smtp.ReceivedWithId($"{id}@jobmatch"));
        Assert.Equal("আপনার শূন্যপদের জন্য নতুন প্রার্থী", received.Subject);
        Assert.Contains("দর্জি", received.TextBody);
        Assert.Contains($"/employer/vacancies/{vacancy}/shortlist", received.HtmlBody);
        Assert.Equal("bn", received.Body!.Headers[HeaderId.ContentLanguage]);
        Assert.Equal("bn", (await host.RowAsync(id)).Language);
    }

    [Fact]
    public async Task Enqueue_WritesOnce_WhenDedupeKeyRepeats()
    {
        await using var host = new OutboxTestHost(database, smtp: null);
        var user = await host.CreateRecipientAsync(OutboxTestHost.CanaryAddress());
        var key = "test:" + Guid.NewGuid();
        var outbox = host.App.Services.GetRequiredService<Outbox>();
        var args = new JobMatch.Notifications.Templates.GenericNotificationArgs();

        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var first = await outbox.EnqueueAsync(connection, transaction, NewOutboxMessage.Create(JobMatch.Notifications.Templates.EmailTemplates.Generic, RecipientKinds.User, user.ToString(), args, key), CancellationToken.None);
        var second = await outbox.EnqueueAsync(connection, transaction, NewOutboxMessage.Create(JobMatch.Notifications.Templates.EmailTemplates.Generic, RecipientKinds.User, user.ToString(), args, key), CancellationToken.None);
        await transaction.CommitAsync();

        Assert.True(first);
        Assert.False(second);
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM outbox_message WHERE dedupe_key = @key", new { key }));
    }
}
