using System.Net;
using Dapper;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Identity;

[Collection(PostgresCollection.Name)]
public sealed class SignInTests(PostgresFixture database) : IAsyncLifetime
{
    private JobMatchApp _app = null!;

    public Task InitializeAsync()
    {
        _app = new JobMatchApp(database);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task SignIn_RedirectsToRoleHomeAndAudits_WhenPasswordIsRight()
    {
        var org = await _app.CreateOrganisationAsync("case_agency");
        var user = await _app.CreateUserAsync(Roles.CaseWorker, org);
        using var client = _app.CreatePlainClient();

        var response = await JobMatchApp.SignInAsync(client, user.UserName, JobMatchApp.Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/casework", response.Headers.Location?.OriginalString);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM audit_log WHERE action = 'sign_in' AND actor_user_id = @Id", new { user.Id }));
    }

    [Fact]
    public async Task SignIn_GivesSameAnswer_WhenUserIsUnknownOrPasswordWrong()
    {
        var org = await _app.CreateOrganisationAsync("employer");
        var user = await _app.CreateUserAsync(Roles.Employer, org);
        using var client = _app.CreatePlainClient();

        var wrongPassword = await JobMatchApp.SignInAsync(client, user.UserName, "not the password at all");
        var unknownUser = await JobMatchApp.SignInAsync(client, "nobody-" + Guid.NewGuid() + "@test.jobmatch.local", "not the password at all");

        Assert.Equal(HttpStatusCode.OK, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.OK, unknownUser.StatusCode);
        Assert.Contains("is not right", await wrongPassword.Content.ReadAsStringAsync());
        Assert.Contains("is not right", await unknownUser.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task StaffAccount_IsLocked_AfterFiveWrongPasswords()
    {
        var org = await _app.CreateOrganisationAsync("case_agency");
        var user = await _app.CreateUserAsync(Roles.CaseWorker, org);
        using var client = _app.CreatePlainClient();

        for (var i = 0; i < 5; i++) await JobMatchApp.SignInAsync(client, user.UserName, "wrong password " + i);
        var withRightPassword = await JobMatchApp.SignInAsync(client, user.UserName, JobMatchApp.Password);

        Assert.Equal(HttpStatusCode.OK, withRightPassword.StatusCode); // the form again, not the redirect
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var lockoutEnd = await connection.ExecuteScalarAsync<DateTime?>("SELECT lockout_end FROM app_user WHERE id = @Id", new { user.Id });
        Assert.NotNull(lockoutEnd);
        Assert.True(lockoutEnd > DateTime.UtcNow);
    }

    [Theory]
    [InlineData(Roles.JobSeeker)]
    [InlineData(Roles.Employer)]
    public async Task Owner_SignsIn_AfterAStrangerTriedFiveWrongPasswords(string role)
    {
        var org = role == Roles.Employer ? await _app.CreateOrganisationAsync("employer") : (Guid?)null;
        var user = await _app.CreateUserAsync(role, org);
        using var stranger = _app.CreatePlainClient();
        using var owner = _app.CreatePlainClient();

        for (var i = 0; i < 5; i++) await JobMatchApp.SignInAsync(stranger, user.UserName, "guess " + i);
        var response = await JobMatchApp.SignInAsync(owner, user.UserName, JobMatchApp.Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Null(await connection.ExecuteScalarAsync<DateTime?>(
            "SELECT lockout_end FROM app_user WHERE id = @Id AND lockout_end > now()", new { user.Id }));
    }

    [Fact]
    public async Task Owner_SignsInFromKnownDevice_WhileAStrangerIsThrottledOnTheSameName()
    {
        var user = await _app.CreateUserAsync(Roles.JobSeeker, null);
        using var owner = _app.CreatePlainClient();
        Assert.Equal(HttpStatusCode.Redirect, (await JobMatchApp.SignInAsync(owner, user.UserName, JobMatchApp.Password)).StatusCode);
        using var stranger = _app.CreatePlainClient();

        var strangerStatuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++) strangerStatuses.Add((await JobMatchApp.SignInAsync(stranger, user.UserName, "guess " + i)).StatusCode);
        var ownerAgain = await JobMatchApp.SignInAsync(owner, user.UserName, JobMatchApp.Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, strangerStatuses[^1]);
        Assert.Equal(HttpStatusCode.Redirect, ownerAgain.StatusCode);
    }

    [Fact]
    public async Task SignIn_Answers429_WhenOneAddressTriesTooManyNames()
    {
        using var client = _app.CreatePlainClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 32; i++) statuses.Add((await JobMatchApp.SignInAsync(client, $"spray-{i}-{Guid.NewGuid():N}@test.jobmatch.local", "guess")).StatusCode);

        Assert.All(statuses.Take(30), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }

    [Fact]
    public async Task SignIn_Answers429_WhenOneUserNameIsTriedTooOften()
    {
        var userName = "flood-" + Guid.NewGuid() + "@test.jobmatch.local";
        using var client = _app.CreatePlainClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++) statuses.Add((await JobMatchApp.SignInAsync(client, userName, "guess " + i)).StatusCode);

        Assert.All(statuses.Take(6), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[7]);
        Assert.Contains("Too many sign-in attempts", await (await JobMatchApp.SignInAsync(client, userName, "again")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Cookie_IsRefused_AfterSignOut()
    {
        var (client, _) = await _app.SignedInClientAsync(Roles.Admin);
        var stolenCookies = await CopyCookiesAsync(client);

        var token = await JobMatchApp.FormTokenAsync(client, "/account/denied");
        var logout = await client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);

        using var replay = _app.CreatePlainClient();
        replay.DefaultRequestHeaders.Add("Cookie", stolenCookies);
        var response = await replay.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Cookie_IsRefused_AfterAccountIsDisabled()
    {
        var (client, user) = await _app.SignedInClientAsync(Roles.CaseWorker);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/me")).StatusCode);

        await using (var scope = _app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAccounts>().DisableAsync(user.Id);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);
    }

    /// <summary>The cookies the client holds, as a Cookie header value (what a thief would copy).</summary>
    private static async Task<string> CopyCookiesAsync(HttpClient client)
    {
        var echo = await client.GetAsync("/api/me");
        var cookieHeader = echo.RequestMessage!.Headers.TryGetValues("Cookie", out var values) ? string.Join("; ", values) : "";
        Assert.False(string.IsNullOrEmpty(cookieHeader));
        return cookieHeader;
    }
}
