using System.Net;
using System.Net.Http.Json;
using JobMatch.Notifications;
using JobMatch.Sms;
using JobMatch.Tests.BackgroundJobs;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Notifications;

namespace JobMatch.Tests.Privacy;

/// <summary>
/// Erasure is total (issue 14): besides the database rows, the .eml files of messages to the seeker go, messages still
/// queued for them are cancelled, and neither the mail folder, a dump nor the cluster's data files name them after.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ErasureFilesTests(PostgresFixture database)
{
    [Fact]
    public async Task Erasure_DeletesMailFilesAndCancelsQueuedMessages_LeavingNoCanaryOnDisk()
    {
        await using var host = new OutboxTestHost(database, smtp: null); // no SMTP server: messages are .eml files
        var (caseWorker, _) = await DomainJobsData.AgencyAsync(host.App);
        var seeker = await DomainJobsData.SeekerAsync(host.App, caseWorker, notifications: true);
        Assert.Equal(HttpStatusCode.NoContent, (await caseWorker.PostAsJsonAsync($"/api/casework/seekers/{seeker.Reference}/password",
            new { password = "a long seeker password", useEmail = true })).StatusCode);
        var sent = await host.EnqueueGenericToSeekerAsync(seeker.Id);
        await host.DispatchAsync();
        var queued = await host.EnqueueGenericToSeekerAsync(seeker.Id);
        var folder = host.Services.GetRequiredService<MailFolder>();
        Assert.Contains(seeker.Canaries.Email, await File.ReadAllTextAsync(folder.Find(sent)!)); // the file names them

        Assert.Equal(HttpStatusCode.NoContent, (await caseWorker.DeleteAsync($"/api/casework/seekers/{seeker.Reference}")).StatusCode);

        Assert.Null(folder.Find(sent));
        foreach (var file in folder.List(int.MaxValue))
        {
            var text = await File.ReadAllTextAsync(file.FullName);
            Assert.DoesNotContain(seeker.Canaries.Email, text, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Equal(OutboxStatus.Cancelled, (await host.RowAsync(queued)).Status);
        string[] canaries = [seeker.Canaries.Name, seeker.Canaries.Phone.Replace("+88", ""), seeker.Canaries.Email, seeker.Canaries.Address];
        Assert.Empty(await DatabaseScan.FindAsync(database.DataSource, canaries));
        Assert.Empty(await DataAtRest.FindInDumpAsync(database, canaries));
        Assert.Empty(await DataAtRest.FindInDataFilesAsync(database, canaries));
    }

    [Fact]
    public async Task Erasure_DeletesSmsFilesNamingTheSeeker_AndCancelsQueuedSms_WhenNoGatewayIsConfigured()
    {
        await using var host = new OutboxTestHost(database, smtp: null); // no Sms:Kannel:SendUrl: SMS are files in <data>/sms
        var (caseWorker, _) = await DomainJobsData.AgencyAsync(host.App);
        var seeker = await DomainJobsData.SeekerAsync(host.App, caseWorker, notifications: true);
        var other = await DomainJobsData.SeekerAsync(host.App, caseWorker, notifications: true);
        async Task<Guid> EnqueueSmsAsync(long seekerId) => await host.EnqueueAsync(NewOutboxMessage.Sms(SmsTemplates.Checkin, RecipientKinds.Seeker,
            seekerId.ToString(System.Globalization.CultureInfo.InvariantCulture), new SmsCheckinArgs(seekerId), $"test:{Guid.NewGuid()}"));
        var sent = await EnqueueSmsAsync(seeker.Id);
        var othersSent = await EnqueueSmsAsync(other.Id);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            // The outbox is shared with the rest of the suite: other tests' SMS may go out in the same batch, so the two
            // messages are checked by their rows, not by the batch's count.
            await scope.ServiceProvider.GetRequiredService<SmsDispatcher>().DispatchDueAsync(CancellationToken.None);
        }
        Assert.Equal(OutboxStatus.Sent, (await host.RowAsync(sent)).Status);
        Assert.Equal(OutboxStatus.Sent, (await host.RowAsync(othersSent)).Status);
        var queued = await EnqueueSmsAsync(seeker.Id);
        var folder = host.Services.GetRequiredService<SmsFolder>();
        var phone = JobMatch.Identity.PhoneNumber.Normalize(seeker.Canaries.Phone)!;
        var file = Path.Combine(folder.Path, sent + ".txt");
        Assert.Contains(phone, await File.ReadAllTextAsync(file)); // the file names them
        // A copy the outbox has no row for (say written by a dispatch that raced the erasure): found by the number in it.
        var stray = Path.Combine(folder.Path, Guid.NewGuid() + ".txt");
        await File.WriteAllTextAsync(stray, $"To: {phone}\nParts: 1\nCoding: GSM\n\nJobMatch\n");

        Assert.Equal(HttpStatusCode.NoContent, (await caseWorker.DeleteAsync($"/api/casework/seekers/{seeker.Reference}")).StatusCode);

        Assert.False(File.Exists(file));
        Assert.False(File.Exists(stray));
        foreach (var f in folder.List(int.MaxValue)) Assert.DoesNotContain(phone, await File.ReadAllTextAsync(f.FullName));
        Assert.True(File.Exists(Path.Combine(folder.Path, othersSent + ".txt"))); // another seeker's file stays
        var row = await host.RowAsync(queued);
        Assert.Equal(OutboxStatus.Cancelled, row.Status);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<SmsDispatcher>().DispatchDueAsync(CancellationToken.None);
        }
        Assert.Equal(OutboxStatus.Cancelled, (await host.RowAsync(queued)).Status); // a dispatch after erasure does not send it
        Assert.False(File.Exists(Path.Combine(folder.Path, queued + ".txt")));
    }
}
