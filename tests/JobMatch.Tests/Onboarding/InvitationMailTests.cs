using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Dapper;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Notifications;

namespace JobMatch.Tests.Onboarding;

/// <summary>
/// Issue 17: invitations go to the invitee by e-mail through the outbox, with a link that sets the password; and the
/// inviter cannot use an invitation to learn whether an address already has an account: the page and the API answer
/// the same, the account holder gets a neutral notice, and nothing on their account changes.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class InvitationMailTests(PostgresFixture database)
{
    private const string NewPassword = "monsoon ferry lantern salt";

    [Fact]
    public async Task Invite_AnswersInviterIdentically_WhetherOrNotAddressHasAccount_PageAndApi()
    {
        await using var smtp = TestSmtpServer.Start();
        await using var host = new OutboxTestHost(database, smtp);
        var app = host.App;
        var (admin, _) = await app.SignedInClientAsync(Roles.Admin);
        var agency = await app.CreateOrganisationAsync("case_agency");
        var holder = await app.CreateUserAsync(Roles.Employer, await app.CreateOrganisationAsync("employer"), userName: $"holder-{Token()}@example.org");
        var before = await AccountAsync(holder.Id);
        var fresh = $"fresh-{Token()}@example.org";
        var freshApi = $"fresh-api-{Token()}@example.org";
        var page = $"/admin/organisations/{agency}";

        var pageNew = await InviteByPageAsync(admin, page, fresh);
        var pageExisting = await InviteByPageAsync(admin, page, holder.UserName);
        await JobMatchApp.UseApiTokenAsync(admin);
        var apiNew = await admin.PostAsJsonAsync($"/api/admin/organisations/{agency}/invitations", new { userName = freshApi, displayName = "Invited Person" });
        var apiExisting = await admin.PostAsJsonAsync($"/api/admin/organisations/{agency}/invitations", new { userName = holder.UserName, displayName = "Invited Person" });
        await host.DispatchAsync();

        Assert.Equal(HttpStatusCode.OK, pageNew.Status);
        Assert.Equal(pageNew.Status, pageExisting.Status);
        Assert.Equal(Normalise(pageNew.Html, fresh), Normalise(pageExisting.Html, holder.UserName));
        Assert.Contains("ADDRESS", Normalise(pageNew.Html, fresh));                // the answer names the address typed, in both cases
        Assert.Equal(HttpStatusCode.Accepted, apiNew.StatusCode);
        Assert.Equal(apiNew.StatusCode, apiExisting.StatusCode);
        Assert.Equal(ExpiresMasked(await apiNew.Content.ReadAsStringAsync()), ExpiresMasked(await apiExisting.Content.ReadAsStringAsync()));
        // The account holder hears a neutral notice (no link that opens anything), and the account is as it was.
        var notices = smtp.Received.Where(m => m.To.Mailboxes.Any(a => a.Address == holder.UserName)).ToList();
        Assert.Equal(2, notices.Count);
        Assert.All(notices, m => Assert.DoesNotContain("token=", m.TextBody));
        Assert.All(notices, m => Assert.Contains("already have an account", m.TextBody));
        Assert.Equal(before, await AccountAsync(holder.Id));
        Assert.Equal(HttpStatusCode.Redirect, (await JobMatchApp.SignInAsync(app.CreatePlainClient(), holder.UserName, JobMatchApp.Password)).StatusCode);
        Assert.Single(smtp.Received, m => m.To.Mailboxes.Any(a => a.Address == fresh));
        Assert.Single(smtp.Received, m => m.To.Mailboxes.Any(a => a.Address == freshApi));
    }

    [Fact]
    public async Task InvitationMail_ArrivesInBothLanguages_WithLinkThatSetsPassword_AndNothingPersonalInOutboxOrLogs()
    {
        var logs = new CapturingLoggerProvider();
        await using var smtp = TestSmtpServer.Start();
        await using var app = new JobMatchApp(database, OutboxTestHost.Settings(smtp, null))
        {
            TestServices = services => services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs),
        };
        var (admin, _) = await app.SignedInClientAsync(Roles.Admin);
        var provider = await app.CreateOrganisationAsync("training_provider", "Provider " + Token());
        var address = $"trainer-{Token()}@provider.example";
        await JobMatchApp.UseApiTokenAsync(admin);

        var answer = await admin.PostAsJsonAsync($"/api/admin/organisations/{provider}/invitations", new { userName = address, displayName = "Rahima Trainer" });
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<JobMatch.Notifications.OutboxDispatcher>().DispatchDueAsync(CancellationToken.None);
        }
        var mail = Assert.Single(smtp.Received, m => m.To.Mailboxes.Any(a => a.Address == address));
        var link = new Uri(MailLink().Match(mail.TextBody ?? "").Value);
        using var invitee = app.CreatePlainClient();
        var form = await invitee.GetStringAsync(link.PathAndQuery);
        var accepted = await invitee.PostAsync("/account/invitation", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = JobMatchApp.FormToken(form),
            ["Token"] = Uri.UnescapeDataString(link.Query.Split("token=")[1]),
            ["Password"] = NewPassword, ["ConfirmPassword"] = NewPassword,
        }));
        var signIn = await JobMatchApp.SignInAsync(invitee, address, NewPassword);

        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        Assert.Null((await answer.Content.ReadFromJsonAsync<Dictionary<string, object?>>())!["link"]); // mailed, not handed over
        Assert.Contains("You are invited to JobMatch", mail.Subject);                             // language not known: both
        Assert.Contains("আমন্ত্রণ", mail.Subject);
        Assert.Contains("আমার পাসওয়ার্ড বেছে নিন", mail.TextBody);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);                                  // on to enrol the authenticator
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var args = await connection.ExecuteScalarAsync<string>(
            "SELECT template_args::text FROM outbox_message WHERE template = 'staff_invitation' AND recipient_id = (SELECT id::text FROM invitation WHERE organisation_id = @provider)",
            new { provider });
        Assert.DoesNotContain(address, args);
        Assert.DoesNotContain("token", args, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(logs.Lines, line => line.Contains(address, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task InvitationMail_IsInInviteesLanguage_WhenInviterGivesIt()
    {
        await using var smtp = TestSmtpServer.Start();
        await using var host = new OutboxTestHost(database, smtp);
        var (admin, _) = await host.App.SignedInClientAsync(Roles.Admin);
        var agency = await host.App.CreateOrganisationAsync("case_agency");
        var address = $"bn-{Token()}@agency.example";
        await JobMatchApp.UseApiTokenAsync(admin);

        var answer = await admin.PostAsJsonAsync($"/api/admin/organisations/{agency}/invitations", new { userName = address, displayName = "Person", language = "bn" });
        var refused = await admin.PostAsJsonAsync($"/api/admin/organisations/{agency}/invitations", new { userName = address, displayName = "Person", language = "fr" });
        await host.DispatchAsync();

        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("\"language\"", await refused.Content.ReadAsStringAsync());
        var mail = Assert.Single(smtp.Received, m => m.To.Mailboxes.Any(a => a.Address == address));
        Assert.Equal("আপনাকে JobMatch-এ আমন্ত্রণ জানানো হয়েছে", mail.Subject);
        Assert.DoesNotContain("Choose my password", mail.TextBody);
    }

    private async Task<(string PasswordHash, string SecurityStamp, bool Disabled, int Invitations)> AccountAsync(Guid userId)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<(string, string, bool, int)>(
            """
            SELECT password_hash, security_stamp, disabled, (SELECT count(*)::int FROM invitation WHERE user_id = @userId)
            FROM app_user WHERE id = @userId
            """, new { userId });
    }

    private static async Task<(HttpStatusCode Status, string Html)> InviteByPageAsync(HttpClient inviter, string page, string userName)
    {
        var response = await inviter.PostAsync($"{page}?handler=Invite", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await JobMatchApp.FormTokenAsync(inviter, page), ["UserName"] = userName, ["DisplayName"] = "Invited Person",
        }));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The page without what differs between any two requests (form tokens, nonces) and with the typed address masked.</summary>
    private static string Normalise(string html, string address) =>
        Volatile().Replace(html.Replace(WebUtility.HtmlEncode(address), "ADDRESS").Replace(address, "ADDRESS"), "$1=\"X\"");

    private static string ExpiresMasked(string json) => Expires().Replace(json, "\"expiresAt\":\"T\"");

    private static string Token() => Guid.NewGuid().ToString("N")[..10];

    [GeneratedRegex("(value|nonce)=\"[A-Za-z0-9_\\-+/=:]{20,}\"")]
    private static partial Regex Volatile();

    [GeneratedRegex("\"expiresAt\":\"[^\"]+\"")]
    private static partial Regex Expires();

    [GeneratedRegex("https?://\\S+/account/invitation\\?token=\\S+")]
    private static partial Regex MailLink();
}
