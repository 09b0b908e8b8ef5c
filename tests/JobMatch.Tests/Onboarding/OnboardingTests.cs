using System.Net;
using System.Text.RegularExpressions;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;
using static JobMatch.Tests.Vacancies.BoardTestData;

namespace JobMatch.Tests.Onboarding;

/// <summary>
/// Issue 17, programme onboarding without SQL: the platform admin creates a case agency and invites its lead, whose
/// link works once and sets a password; the first sign-in enrols the authenticator; the lead invites colleagues to
/// their own agency only; deactivating a person or an organisation ends open sessions on their next request.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class OnboardingTests(PostgresFixture database) : IAsyncLifetime
{
    private const string NewPassword = "coral reef morning tide";
    private JobMatchApp _app = null!;

    public Task InitializeAsync()
    {
        _app = new JobMatchApp(database);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Invitation_ShowsBanglaPasswordErrorsAtTheirFields_WhenTooShortAndDifferent()
    {
        var (admin, _) = await _app.SignedInClientAsync(Roles.Admin);
        var agencyId = await CreateOrganisationAsync(admin, "case_agency", "Agency " + Token());
        var link = await InviteAsync(admin, $"/admin/organisations/{agencyId}", $"worker-{Token()}@agency.example", lead: false);
        using var invitee = _app.CreatePlainClient();
        invitee.DefaultRequestHeaders.AcceptLanguage.ParseAdd("bn");
        var form = await invitee.GetStringAsync(link);

        var response = await invitee.PostAsync("/account/invitation", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = JobMatchApp.FormToken(form), ["Token"] = TokenOf(link), ["Password"] = "short", ["ConfirmPassword"] = "other",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await JobMatch.Tests.Web.FormValidationTests.ParseAsync(response);
        var password = page.GetElementById("Password")!;
        Assert.Equal("true", password.GetAttribute("aria-invalid"));
        var describedBy = password.GetAttribute("aria-describedby")!.Split(' ');
        Assert.Contains("Password-hint", describedBy); // the rules stay announced with the error
        Assert.Contains("অন্তত ১০টি অক্ষর", page.GetElementById(describedBy[^1])!.TextContent, StringComparison.Ordinal);
        var confirm = page.GetElementById("ConfirmPassword")!;
        Assert.Equal("true", confirm.GetAttribute("aria-invalid"));
        Assert.Equal("দুটি পাসওয়ার্ড এক নয়।", page.GetElementById(confirm.GetAttribute("aria-describedby")!)!.TextContent.Trim());
        Assert.Equal(2, page.QuerySelectorAll(".error-summary a[href^='#']").Length);
        Assert.Null(password.GetAttribute("value")); // a password is never written back into the page
    }

    [Fact]
    public async Task Invitation_SetsPasswordOnce_ThenFirstSignInEnrolsAuthenticator_AndCaseWorkReaches()
    {
        var (admin, _) = await _app.SignedInClientAsync(Roles.Admin);
        var agencyId = await CreateOrganisationAsync(admin, "case_agency", "Agency " + Token());
        var userName = $"lead-{Token()}@agency.example";
        var link = await InviteAsync(admin, $"/admin/organisations/{agencyId}", userName, lead: true);
        using var invitee = _app.CreatePlainClient();

        var accepted = await AcceptAsync(invitee, link, NewPassword);
        var again = await AcceptAsync(_app.CreatePlainClient(), link, "another fine password");
        var signIn = await JobMatchApp.SignInAsync(invitee, userName, NewPassword);
        var casework = await invitee.GetAsync("/casework");
        var team = await invitee.GetStringAsync("/casework/team");
        var staff = await admin.GetStringAsync($"/admin/organisations/{agencyId}");

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("cannot be used", await again.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);          // via /account/enrol-authenticator (TOTP)
        Assert.Equal(HttpStatusCode.OK, casework.StatusCode);
        Assert.Contains("name=\"UserName\"", team);                        // a lead sees the invitation form
        Assert.Contains(userName, staff);                                   // the staff list decrypts sign-in names
        Assert.True(await ScalarAsync<bool>(database.DataSource,
            "SELECT two_factor_enabled AND organisation_id = @agencyId AND role = 'case_worker' FROM app_user WHERE id = @id",
            new { agencyId, id = await UserIdAsync(userName) }));
        Assert.Equal(0, await ScalarAsync<long>(database.DataSource,
            "SELECT count(*) FROM invitation WHERE token_hash = sha256(convert_to(@token, 'UTF8'))", new { token = TokenOf(link) + "x" }));
    }

    [Fact]
    public async Task Invitation_IsRefused_WhenExpired()
    {
        var (admin, _) = await _app.SignedInClientAsync(Roles.Admin);
        var providerId = await CreateOrganisationAsync(admin, "training_provider", "Provider " + Token());
        var link = await InviteAsync(admin, $"/admin/organisations/{providerId}", $"t-{Token()}@provider.example", lead: false);
        await using (var c = await database.DataSource.OpenConnectionAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(c, "UPDATE invitation SET expires_at = now() - interval '1 minute' WHERE organisation_id = @providerId", new { providerId });
        }

        var page = await _app.CreatePlainClient().GetStringAsync(link);
        var post = await AcceptAsync(_app.CreatePlainClient(), link, NewPassword);

        Assert.Contains("cannot be used", page);
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
    }

    [Fact]
    public async Task LeadCaseWorker_InvitesToOwnAgency_WhileOtherCaseWorkersCannot()
    {
        var agency = await _app.CreateOrganisationAsync("case_agency");
        var (lead, leadUser) = await _app.SignedInClientAsync(Roles.CaseWorker, agency);
        var (plain, _) = await _app.SignedInClientAsync(Roles.CaseWorker, agency);
        await using (var c = await database.DataSource.OpenConnectionAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(c, "INSERT INTO staff_lead (user_id) VALUES (@id)", new { id = leadUser.Id });
        }
        var userName = $"colleague-{Token()}@agency.example";

        var link = await InviteAsync(lead, "/casework/team", userName, lead: false);
        var refused = await plain.PostAsync("/casework/team?handler=Invite", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await JobMatchApp.FormTokenAsync(plain, "/casework/team"),
            ["UserName"] = $"x-{Token()}@agency.example", ["DisplayName"] = "X",
        }));

        Assert.Contains("/account/denied", refused.Headers.Location?.OriginalString ?? "", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await AcceptAsync(_app.CreatePlainClient(), link, NewPassword)).StatusCode);
        Assert.Equal(agency, await ScalarAsync<Guid>(database.DataSource,
            "SELECT organisation_id FROM app_user WHERE id = @id AND role = 'case_worker'", new { id = await UserIdAsync(userName) }));
        Assert.False(await ScalarAsync<bool>(database.DataSource,
            "SELECT EXISTS (SELECT 1 FROM staff_lead WHERE user_id = @id)", new { id = await UserIdAsync(userName) }));
    }

    /// <summary>Sign-in names are stored only as a keyed index and ciphertext (issue 14): find the account as the app does.</summary>
    private async Task<Guid> UserIdAsync(string userName)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AppUser>>().FindByNameAsync(userName);
        return Assert.IsType<AppUser>(user).Id;
    }

    [Fact]
    public async Task Deactivation_EndsOpenSessions_OnTheirNextRequest()
    {
        var (admin, _) = await _app.SignedInClientAsync(Roles.Admin);
        var agency = await _app.CreateOrganisationAsync("case_agency");
        var (worker, workerUser) = await _app.SignedInClientAsync(Roles.CaseWorker, agency);
        var (colleague, _) = await _app.SignedInClientAsync(Roles.CaseWorker, agency);
        var before = await worker.GetAsync("/casework");
        var page = $"/admin/organisations/{agency}";

        var deactivateUser = await admin.PostAsync($"{page}?handler=DeactivateUser", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await JobMatchApp.FormTokenAsync(admin, page), ["userId"] = workerUser.Id.ToString(),
        }));
        var afterUser = await worker.GetAsync("/casework");
        var colleagueStill = await colleague.GetAsync("/casework");
        var deactivateOrganisation = await admin.PostAsync($"{page}?handler=Deactivate", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await JobMatchApp.FormTokenAsync(admin, page),
        }));
        var colleagueAfter = await colleague.GetAsync("/casework");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, deactivateUser.StatusCode);
        Assert.Contains("/account/login", afterUser.Headers.Location?.OriginalString ?? "", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, colleagueStill.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, deactivateOrganisation.StatusCode);
        Assert.Contains("/account/login", colleagueAfter.Headers.Location?.OriginalString ?? "", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await JobMatchApp.SignInAsync(_app.CreatePlainClient(), workerUser.UserName, JobMatchApp.Password)).StatusCode);
    }

    private static async Task<Guid> CreateOrganisationAsync(HttpClient admin, string kind, string name)
    {
        var response = await admin.PostAsync("/admin/organisations?handler=Create", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await JobMatchApp.FormTokenAsync(admin, "/admin/organisations"), ["Kind"] = kind, ["Name"] = name,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return Guid.Parse(response.Headers.Location!.OriginalString.Split('/')[^1]);
    }

    private static async Task<string> InviteAsync(HttpClient inviter, string page, string userName, bool lead)
    {
        var form = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await JobMatchApp.FormTokenAsync(inviter, page), ["UserName"] = userName, ["DisplayName"] = "Invited Person",
        };
        if (lead) form["Lead"] = "true";
        var html = await (await inviter.PostAsync($"{page}?handler=Invite", new FormUrlEncodedContent(form))).Content.ReadAsStringAsync();
        var match = LinkField().Match(html);
        Assert.True(match.Success, "no invitation link on the page");
        return new Uri(WebUtility.HtmlDecode(match.Groups[1].Value)).PathAndQuery;
    }

    private static async Task<HttpResponseMessage> AcceptAsync(HttpClient client, string link, string password)
    {
        var page = await client.GetStringAsync(link);
        // A used or expired link's page has no form (and, since the board's output cache, anonymous pages carry no
        // token in the language switch either): take a valid token from the sign-in page, as a crafted post would.
        var token = page.Contains("__RequestVerificationToken", StringComparison.Ordinal)
            ? JobMatchApp.FormToken(page)
            : await JobMatchApp.FormTokenAsync(client, "/account/login");
        return await client.PostAsync("/account/invitation", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Token"] = TokenOf(link), ["Password"] = password, ["ConfirmPassword"] = password,
        }));
    }

    private static string TokenOf(string link) => Uri.UnescapeDataString(link.Split("token=")[1]);

    [GeneratedRegex("id=\"invitation-link\" readonly value=\"([^\"]+)\"")]
    private static partial Regex LinkField();
}
