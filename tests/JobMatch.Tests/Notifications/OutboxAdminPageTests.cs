using System.Net;
using Dapper;
using JobMatch.Identity;
using JobMatch.Notifications;
using JobMatch.Tests.BackgroundJobs;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Notifications;

/// <summary>
/// Admins see metadata, not addresses (issue 14): the outbox page lists kind, template, status and times, and may
/// cancel a waiting message, but never serves the .eml file (address and body) of a message to a seeker.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OutboxAdminPageTests(PostgresFixture database)
{
    [Fact]
    public async Task OutboxPage_NeverServesASeekersMessage_ButServesStaffMessagesAndCancels()
    {
        await using var host = new OutboxTestHost(database, smtp: null);
        var (caseWorker, _) = await DomainJobsData.AgencyAsync(host.App);
        var seeker = await DomainJobsData.SeekerAsync(host.App, caseWorker, notifications: true);
        var toSeeker = await host.EnqueueGenericToSeekerAsync(seeker.Id);
        var toStaff = await host.EnqueueGenericAsync(await host.CreateRecipientAsync(OutboxTestHost.CanaryAddress(), role: Roles.CaseWorker));
        await host.DispatchAsync();
        var waiting = await host.EnqueueGenericToSeekerAsync(seeker.Id);
        var (admin, _) = await host.App.SignedInClientAsync(Roles.Admin);

        var page = await admin.GetStringAsync("/admin/outbox");
        var seekerFile = await admin.GetAsync($"/admin/outbox/file?id={toSeeker}");
        var staffFile = await admin.GetAsync($"/admin/outbox/file?id={toStaff}");
        var cancel = await admin.PostAsync("/admin/outbox/cancel", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["id"] = waiting.ToString(),
            ["__RequestVerificationToken"] = JobMatchApp.FormToken(page),
        }));

        Assert.Contains(toSeeker.ToString(), page); // its metadata is listed
        Assert.DoesNotContain($"file?id={toSeeker}", page);
        Assert.Contains($"file?id={toStaff}", page);
        Assert.DoesNotContain(seeker.Canaries.Email, page, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.NotFound, seekerFile.StatusCode);
        Assert.Equal(HttpStatusCode.OK, staffFile.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, cancel.StatusCode);
        Assert.Equal(OutboxStatus.Cancelled, (await host.RowAsync(waiting)).Status);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM audit_log WHERE action = 'outbox_cancel' AND subject = @subject", new { subject = $"notification:{waiting}" }));
    }
}
