using System.Net;
using JobMatch.Identity;
using JobMatch.Notifications;
using JobMatch.Tests.Infrastructure;
using MimeKit;

namespace JobMatch.Tests.Notifications;

/// <summary>With no SMTP server configured (the embedded default), e-mails become .eml files listed on the admin page.</summary>
[Collection(PostgresCollection.Name)]
public sealed class EmlFileTests(PostgresFixture database)
{
    [Fact]
    public async Task Dispatch_WritesEmlFileListedOnAdminPage_WhenNoSmtpConfigured()
    {
        await using var host = new OutboxTestHost(database, smtp: null);
        var address = OutboxTestHost.CanaryAddress();
        var id = await host.EnqueueGenericAsync(await host.CreateRecipientAsync(address));

        await host.DispatchAsync();
        await host.DispatchAsync();

        var folder = host.Services.GetRequiredService<MailFolder>();
        var file = Assert.Single(Directory.GetFiles(folder.Path, $"{id}.eml"));
        var message = await MimeMessage.LoadAsync(file);
        Assert.Equal($"{id}@jobmatch", message.MessageId);
        Assert.Equal(address, Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal(OutboxStatus.Sent, (await host.RowAsync(id)).Status);

        var (admin, _) = await host.App.SignedInClientAsync(Roles.Admin);
        var page = await admin.GetStringAsync("/admin/outbox");
        Assert.Contains($"{id}.eml", page);
        var download = await admin.GetAsync($"/admin/outbox/file?id={id}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Contains($"{id}@jobmatch", await download.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OutboxPage_IsRefused_WhenUserIsNotAdmin()
    {
        await using var host = new OutboxTestHost(database, smtp: null);
        var (employer, _) = await host.App.SignedInClientAsync(Roles.Employer);
        var anonymous = host.App.CreatePlainClient();

        var asEmployer = await employer.GetAsync("/admin/outbox");
        var asAnonymous = await anonymous.GetAsync("/admin/outbox");
        var fileAsEmployer = await employer.GetAsync($"/admin/outbox/file?id={Guid.NewGuid()}");

        Assert.True(asEmployer.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Redirect && asEmployer.Headers.Location?.ToString().Contains("denied") != false);
        Assert.Equal(HttpStatusCode.Redirect, asAnonymous.StatusCode);
        Assert.Contains("/account/login", asAnonymous.Headers.Location!.ToString());
        Assert.NotEqual(HttpStatusCode.OK, fileAsEmployer.StatusCode);
    }
}
