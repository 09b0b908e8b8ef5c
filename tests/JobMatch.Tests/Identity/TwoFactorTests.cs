using System.Net;
using Dapper;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Identity;

/// <summary>R10: staff pass a TOTP second factor; codes work once; wrong codes lock like wrong passwords.</summary>
[Collection(PostgresCollection.Name)]
public sealed class TwoFactorTests(PostgresFixture database) : IAsyncLifetime
{
    private JobMatchApp _app = null!;

    public Task InitializeAsync()
    {
        _app = new JobMatchApp(database);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task StaffWithoutAuthenticator_IsNotSignedInByPassword_AndEnrolsWithKeyShownAsText()
    {
        var org = await _app.CreateOrganisationAsync("case_agency");
        var user = await _app.CreateUserAsync(Roles.CaseWorker, org, withAuthenticator: false);
        using var client = _app.CreatePlainClient();

        var afterPassword = await PostPasswordAsync(client, user.UserName);
        Assert.Equal("/account/enrol-authenticator", afterPassword.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);

        var page = await client.GetStringAsync("/account/enrol-authenticator");
        var key = TestAuthenticator.KeyOnPage(page);
        Assert.Matches("^[A-Z2-7]{32}$", key);
        Assert.Contains($"otpauth://totp/JobMatch:{Uri.EscapeDataString(user.UserName)}?secret={key}&amp;issuer=JobMatch", page);
        Assert.DoesNotContain("<script", page);

        TestAuthenticator.Remember(user.UserName, key);
        var confirmed = await JobMatchApp.PostCodeAsync(client, "/account/enrol-authenticator", await TestAuthenticator.NextCodeAsync(user.UserName), JobMatchApp.FormToken(page));

        Assert.Equal("/casework", confirmed.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/me")).StatusCode);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.True(await connection.ExecuteScalarAsync<bool>("SELECT two_factor_enabled FROM app_user WHERE id = @Id", new { user.Id }));
    }

    [Fact]
    public async Task EnrolmentPage_NeverShowsKey_WhenAccountAlreadyHasAuthenticator()
    {
        var org = await _app.CreateOrganisationAsync("platform");
        var user = await _app.CreateUserAsync(Roles.Admin, org);
        using var client = _app.CreatePlainClient();

        var afterPassword = await PostPasswordAsync(client, user.UserName);
        Assert.Equal("/account/two-factor", afterPassword.Headers.Location?.OriginalString);

        var enrol = await client.GetAsync("/account/enrol-authenticator");
        Assert.Equal(HttpStatusCode.Redirect, enrol.StatusCode);
        Assert.Equal("/account/two-factor", enrol.Headers.Location?.OriginalString);
        Assert.DoesNotContain(TestAuthenticator.KeyFor(user.UserName)[..8], await enrol.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Code_IsRefused_WhenUsedASecondTime()
    {
        var org = await _app.CreateOrganisationAsync("training_provider");
        var user = await _app.CreateUserAsync(Roles.TrainingProvider, org);
        var code = await TestAuthenticator.NextCodeAsync(user.UserName);

        using var first = _app.CreatePlainClient();
        await PostPasswordAsync(first, user.UserName);
        var accepted = await JobMatchApp.PostCodeAsync(first, "/account/two-factor", code);
        Assert.Equal("/training", accepted.Headers.Location?.OriginalString);

        using var replay = _app.CreatePlainClient();
        await PostPasswordAsync(replay, user.UserName);
        var refused = await JobMatchApp.PostCodeAsync(replay, "/account/two-factor", code);

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("already used", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await replay.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task Code_IsRefused_WhenItsStepIsBeforeTheLastAcceptedOne_EvenInsideTheWindow()
    {
        var org = await _app.CreateOrganisationAsync("training_provider");
        var user = await _app.CreateUserAsync(Roles.TrainingProvider, org);
        for (var i = 0; i < 3; i++) // a third sign-in within 30 s: the test authenticator's clock moves on a step
        {
            using var signIn = _app.CreatePlainClient();
            Assert.Equal("/training", (await JobMatchApp.SignInAsync(signIn, user.UserName, JobMatchApp.Password)).Headers.Location?.OriginalString);
        }
        // The step before the last accepted one: not seen yet by the app, and inside its window (now - 1 .. now + 1).
        var earlier = TestAuthenticator.CodeAt(TestAuthenticator.KeyFor(user.UserName), TestAuthenticator.LastStep(user.UserName) - 1);

        using var client = _app.CreatePlainClient();
        await PostPasswordAsync(client, user.UserName);
        var refused = await JobMatchApp.PostCodeAsync(client, "/account/two-factor", earlier);

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("already used", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task Code_IsRefused_WhenItsStepIsOutsideTheWindow_AndTheCodeOfNowIsAccepted()
    {
        var org = await _app.CreateOrganisationAsync("platform");
        var user = await _app.CreateUserAsync(Roles.Admin, org);
        var key = TestAuthenticator.KeyFor(user.UserName);
        using var client = _app.CreatePlainClient();
        await PostPasswordAsync(client, user.UserName);

        var now = TestAuthenticator.StepNow(user.UserName);
        foreach (var step in new[] { now + 2, now - 2 }) // never used: refused only for being outside the window
        {
            var refused = await JobMatchApp.PostCodeAsync(client, "/account/two-factor", TestAuthenticator.CodeAt(key, step));
            Assert.Contains("not right", await refused.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);
        }
        var accepted = await JobMatchApp.PostCodeAsync(client, "/account/two-factor", await TestAuthenticator.NextCodeAsync(user.UserName));

        Assert.Equal("/admin", accepted.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task WrongCodes_LockTheAccount_AndThenTheRightCodeIsRefused()
    {
        var org = await _app.CreateOrganisationAsync("platform");
        var user = await _app.CreateUserAsync(Roles.Admin, org);
        using var client = _app.CreatePlainClient();
        await PostPasswordAsync(client, user.UserName);
        var right = await TestAuthenticator.NextCodeAsync(user.UserName);
        var wrong = right == "000000" ? "111111" : "000000";

        for (var i = 0; i < 5; i++) await JobMatchApp.PostCodeAsync(client, "/account/two-factor", wrong);
        var withRightCode = await JobMatchApp.PostCodeAsync(client, "/account/two-factor", right);

        Assert.Equal(HttpStatusCode.OK, withRightCode.StatusCode);
        Assert.Contains("locked", await withRightCode.Content.ReadAsStringAsync());
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var lockoutEnd = await connection.ExecuteScalarAsync<DateTime?>("SELECT lockout_end FROM app_user WHERE id = @Id", new { user.Id });
        Assert.True(lockoutEnd > DateTime.UtcNow);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task Employer_MayTurnOnAuthenticator_AndIsAskedForACodeNextTime()
    {
        var (client, user) = await _app.SignedInClientAsync(Roles.Employer);
        Assert.DoesNotContain("setup-key", await client.GetStringAsync("/account/authenticator")); // a GET creates no key
        var start = await client.PostAsync("/account/authenticator?handler=Start", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await JobMatchApp.FormTokenAsync(client, "/account/authenticator"),
        }));
        var page = await start.Content.ReadAsStringAsync();
        var key = TestAuthenticator.KeyOnPage(page);
        TestAuthenticator.Remember(user.UserName, key);

        var enabled = await JobMatchApp.PostCodeAsync(client, "/account/authenticator", await TestAuthenticator.NextCodeAsync(user.UserName), JobMatchApp.FormToken(page));
        Assert.Contains("from your next sign-in", await enabled.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/me")).StatusCode); // this session carries on

        using var next = _app.CreatePlainClient();
        Assert.Equal("/account/two-factor", (await PostPasswordAsync(next, user.UserName)).Headers.Location?.OriginalString);
        using var again = _app.CreatePlainClient();
        Assert.Equal("/employer", (await JobMatchApp.SignInAsync(again, user.UserName, JobMatchApp.Password)).Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task ResetAuthenticator_EndsSessions_AndNextSignInEnrolsANewKey()
    {
        var (client, user) = await _app.SignedInClientAsync(Roles.CaseWorker);
        var oldKey = TestAuthenticator.KeyFor(user.UserName);

        await using (var scope = _app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAccounts>().ResetAuthenticatorAsync(user.Id);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);
        using var next = _app.CreatePlainClient();
        Assert.Equal("/account/enrol-authenticator", (await PostPasswordAsync(next, user.UserName)).Headers.Location?.OriginalString);
        Assert.NotEqual(oldKey, TestAuthenticator.KeyOnPage(await next.GetStringAsync("/account/enrol-authenticator")));
    }

    [Fact]
    public async Task JobSeeker_IsSignedInByPasswordAlone()
    {
        var user = await _app.CreateUserAsync(Roles.JobSeeker, null);
        using var client = _app.CreatePlainClient();

        var response = await PostPasswordAsync(client, user.UserName);

        Assert.Equal("/me/offers", response.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/me")).StatusCode);
    }

    [Theory]
    [InlineData("123456", "123456")]
    [InlineData(" 123 456 ", "123456")]
    [InlineData("123-456", "123456")]
    [InlineData("১২৩৪৫৬", "123456")]
    [InlineData("12345", null)]
    [InlineData("12345a", null)]
    [InlineData("1234567", null)]
    public void NormalizeCode_AcceptsSixDigits_IncludingBanglaDigits(string input, string? expected) =>
        Assert.Equal(expected, OneTimeAuthenticatorTokenProvider.NormalizeCode(input));

    /// <summary>Only the password step: the response says where the sign-in goes next.</summary>
    private static async Task<HttpResponseMessage> PostPasswordAsync(HttpClient client, string userName)
    {
        var token = await JobMatchApp.FormTokenAsync(client, "/account/login");
        return await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = userName,
            ["Password"] = JobMatchApp.Password,
            ["__RequestVerificationToken"] = token,
        }));
    }
}
