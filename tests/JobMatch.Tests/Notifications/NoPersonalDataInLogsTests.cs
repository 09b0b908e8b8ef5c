using Dapper;
using JobMatch.Notifications;
using JobMatch.Notifications.Templates;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Notifications;

/// <summary>
/// Dispatching (sent, temporary failure, permanent failure, cancelled) logs ids and status codes only: no canary
/// address or name seeded into the recipients appears in any log line, and Hangfire job arguments hold none (R18).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class NoPersonalDataInLogsTests(PostgresFixture database)
{
    [Fact]
    public async Task Dispatch_LogsNoAddressOrName_WhenMessagesSucceedRetryFailAndCancel()
    {
        var logs = new CapturingLoggerProvider();
        await using var smtp = TestSmtpServer.Start();
        await using var host = new OutboxTestHost(database, smtp,
            new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Trace", ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace" },
            services => services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs));
        var marker = Guid.NewGuid().ToString("N")[..10];
        var canaries = new[] { $"canary.ok.{marker}@example.org", $"canary.retry.{marker}@example.org", $"canary.fail.{marker}@example.org", $"canary.gone.{marker}@example.org" };
        var name = $"Canaryname{marker}";
        smtp.Script(canaries[1], 451);
        smtp.Script(canaries[2], 550);
        var users = new List<Guid>();
        foreach (var address in canaries) users.Add(await host.CreateRecipientAsync(address));
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("UPDATE app_user SET display_name = @name WHERE id = ANY(@users)", new { name, users });
        }
        var ids = new List<Guid>();
        foreach (var user in users)
        {
            ids.Add(await host.EnqueueAsync(NewOutboxMessage.Create(EmailTemplates.EmployerDigest, RecipientKinds.User, user.ToString(),
                new EmployerDigestArgs([new DigestVacancy(1, "Tailor", null, 2)]))));
        }
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("UPDATE app_user SET email = NULL WHERE id = @id", new { id = users[3] });
        }

        await host.DispatchAsync();
        await host.MakeDueAsync([.. ids]);
        await host.DispatchAsync();
        host.Services.GetRequiredService<Outbox>().DispatchSoon(); // a Hangfire job is written (no server runs here)

        Assert.Equal(OutboxStatus.Sent, (await host.RowAsync(ids[0])).Status);
        Assert.Equal(OutboxStatus.Sent, (await host.RowAsync(ids[1])).Status);
        Assert.Equal(OutboxStatus.FailedPermanent, (await host.RowAsync(ids[2])).Status);
        Assert.Equal(OutboxStatus.Cancelled, (await host.RowAsync(ids[3])).Status);
        Assert.Contains(logs.Lines, l => l.Contains(ids[2].ToString(), StringComparison.Ordinal)); // the capture works
        foreach (var secret in canaries.Append(name).Append(marker))
        {
            Assert.DoesNotContain(logs.Lines, l => l.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }

        await using var db = await database.DataSource.OpenConnectionAsync();
        var jobData = await db.QueryAsync<string>("SELECT coalesce(invocationdata::text, '') || coalesce(arguments::text, '') FROM hangfire.job");
        Assert.NotEmpty(jobData);
        Assert.DoesNotContain(jobData, d => d.Contains(marker, StringComparison.OrdinalIgnoreCase) || d.Contains('@'));
        var outboxText = await db.QueryAsync<string>("SELECT row_to_json(m)::text FROM outbox_message m WHERE id = ANY(@ids)", new { ids });
        Assert.DoesNotContain(outboxText, t => t.Contains(marker, StringComparison.OrdinalIgnoreCase));
    }
}
