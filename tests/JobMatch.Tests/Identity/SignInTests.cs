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
    public async Task SignIn_LocksAccount_AfterFiveWrongPasswords()
    {
        var org = await _app.CreateOrganisationAsync("employer");
        var user = await _app.CreateUserAsync(Roles.Employer, org);
        using var client = _app.CreatePlainClient();

        for (var i = 0; i < 5; i++) await JobMatchApp.SignInAsync(client, user.UserName, "wrong password " + i);
        var withRightPassword = await JobMatchApp.SignInAsync(client, user.UserName, JobMatchApp.Password);

        Assert.Equal(HttpStatusCode.OK, withRightPassword.StatusCode); // the form again, not the redirect
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var lockoutEnd = await connection.ExecuteScalarAsync<DateTime?>("SELECT lockout_end FROM app_user WHERE id = @Id", new { user.Id });
        Assert.NotNull(lockoutEnd);
        Assert.True(lockoutEnd > DateTime.UtcNow);
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
