using System.Net;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Time.Testing;

namespace JobMatch.Tests.Security;

/// <summary>R13: 30-minute sliding idle timeout, 12-hour absolute lifetime, cookie attributes. The app's clock is a FakeTimeProvider.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SessionTests(PostgresFixture database)
{
    [Fact]
    public async Task Cookie_IsRefused_After31IdleMinutes_ButSlidesWhileUsed()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new JobMatchApp(database) { Time = time };
        var (client, _) = await app.SignedInClientAsync(Roles.CaseWorker);

        time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/me")).StatusCode);
        time.Advance(TimeSpan.FromMinutes(29)); // 58 minutes after sign-in, 29 after the last request
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/me")).StatusCode);

        time.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task Cookie_IsRefused_After12Hours_EvenWhenUsedEvery20Minutes()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new JobMatchApp(database) { Time = time };
        var (client, _) = await app.SignedInClientAsync(Roles.Employer); // not staff: isolates the sign-in time from the second factor

        for (var i = 1; i <= 35; i++) // up to 11 h 40 min
        {
            time.Advance(TimeSpan.FromMinutes(20));
            Assert.True((await client.GetAsync("/api/me")).StatusCode == HttpStatusCode.OK, $"refused after {i * 20} minutes");
        }
        time.Advance(TimeSpan.FromMinutes(10));
        Assert.True((await client.GetAsync("/api/me")).StatusCode == HttpStatusCode.OK, "refused at 11 h 50 min");
        time.Advance(TimeSpan.FromMinutes(20)); // 12 h 10 min after sign-in, only 20 min after the last request
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task SessionCookie_IsHttpOnlyLaxAndRootPath()
    {
        await using var app = new JobMatchApp(database);
        var user = await app.CreateUserAsync(Roles.CaseWorker, await app.CreateOrganisationAsync("case_agency"));
        using var client = app.CreatePlainClient();

        var cookie = SessionCookie(await JobMatchApp.SignInAsync(client, user.UserName, JobMatchApp.Password), "jm=");

        Assert.Contains("; httponly", cookie);
        Assert.Contains("; samesite=lax", cookie);
        Assert.Contains("; path=/", cookie);
        Assert.DoesNotContain("; expires=", cookie); // a session cookie: gone when the browser closes
    }

    [Fact]
    public async Task SessionCookie_IsHostPrefixedAndSecure_WhenHttpsOnly()
    {
        await using var app = new JobMatchApp(database, new Dictionary<string, string?> { ["Security:HttpsOnly"] = "true" });
        var user = await app.CreateUserAsync(Roles.Employer, await app.CreateOrganisationAsync("employer"));
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = true,
        });

        var cookie = SessionCookie(await JobMatchApp.SignInAsync(client, user.UserName, JobMatchApp.Password), "__host-jm=");

        Assert.Contains("; secure", cookie);
        Assert.Contains("; httponly", cookie);
        Assert.Contains("; samesite=lax", cookie);
        Assert.Contains("; path=/", cookie);
        Assert.DoesNotContain("domain=", cookie);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/me")).StatusCode);
    }

    /// <summary>
    /// SignInTests replays an admin's cookie after sign-out and a case worker's after disabling; the security stamp
    /// must be checked for the other roles too (a non-staff validation interval would let the cookie live on).
    /// </summary>
    [Theory]
    [InlineData(Roles.Employer)]
    [InlineData(Roles.JobSeeker)]
    [InlineData(Roles.TrainingProvider)]
    [InlineData(Roles.Admin)]
    public async Task Cookie_IsRefusedOnApiAndPages_AfterSignOutOrDisabling(string role)
    {
        await using var app = new JobMatchApp(database);
        var (signedOut, _) = await app.SignedInClientAsync(role);
        var copied = await CookieHeaderAsync(signedOut);
        var token = await JobMatchApp.FormTokenAsync(signedOut, "/account/denied");
        var logout = await signedOut.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        using var replay = app.CreatePlainClient();
        replay.DefaultRequestHeaders.Add("Cookie", copied);

        var (disabled, user) = await app.SignedInClientAsync(role);
        Assert.Equal(HttpStatusCode.OK, (await disabled.GetAsync("/api/me")).StatusCode);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAccounts>().DisableAsync(user.Id);
        }

        foreach (var client in new[] { replay, disabled })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);
            var page = await client.GetAsync(Home(role));
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.Contains("/account/login", page.Headers.Location?.OriginalString);
        }
    }

    private static string Home(string role) => role switch
    {
        Roles.Employer => "/employer",
        Roles.JobSeeker => "/me/offers",
        Roles.TrainingProvider => "/training",
        _ => "/admin",
    };

    private static async Task<string> CookieHeaderAsync(HttpClient client)
    {
        var echo = await client.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.OK, echo.StatusCode);
        return string.Join("; ", echo.RequestMessage!.Headers.GetValues("Cookie"));
    }

    private static string SessionCookie(HttpResponseMessage response, string prefix)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
        var cookie = cookies.SingleOrDefault(c => c.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
        Assert.True(cookie is not null, $"no {prefix} cookie in: {string.Join(" | ", cookies.Select(c => c.Split('=')[0]))}");
        return cookie.ToLowerInvariant();
    }
}
