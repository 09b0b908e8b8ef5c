using Hangfire;
using JobMatch.Notifications;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Notifications;

namespace JobMatch.Tests.BackgroundJobs;

/// <summary>The Hangfire server in the app runs the outbox dispatcher; recurring schedules come from configuration.</summary>
[Collection(PostgresCollection.Name)]
public sealed class HangfireDispatchTests(PostgresFixture database)
{
    [Fact]
    public async Task DispatchSoon_DeliversThroughHangfireServer_AndSchedulesComeFromConfiguration()
    {
        await using var smtp = TestSmtpServer.Start();
        var settings = TwoHostsTests.ServerSettings();
        settings["BackgroundJobs:Schedules:dispatch-outbox"] = "*/30 * * * * *";
        settings["BackgroundJobs:Schedules:purge-finished-mail"] = "0 4 * * *";
        await using var host = new OutboxTestHost(database, smtp, settings);
        _ = host.Services; // starts the host and its Hangfire server
        var id = await host.EnqueueGenericAsync(await host.CreateRecipientAsync(OutboxTestHost.CanaryAddress()));

        host.Services.GetRequiredService<Outbox>().DispatchSoon();

        // Polls up to 90 s: a loaded two-core CI machine took more than 20 s for the server to pick the job up.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline && smtp.ReceivedWithId($"{id}@jobmatch").Count == 0)
        {
            await Task.Delay(200);
        }
        Assert.Single(smtp.ReceivedWithId($"{id}@jobmatch"));
        Assert.Equal(OutboxStatus.Sent, (await host.RowAsync(id)).Status);

        using var connection = host.Services.GetRequiredService<JobStorage>().GetConnection();
        var recurring = Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection).ToDictionary(j => j.Id);
        Assert.Equal("*/30 * * * * *", recurring["dispatch-outbox"].Cron);
        Assert.Equal("0 4 * * *", recurring["purge-finished-mail"].Cron);
        Assert.Equal("Asia/Dhaka", recurring["purge-finished-mail"].TimeZoneId);
    }
}
