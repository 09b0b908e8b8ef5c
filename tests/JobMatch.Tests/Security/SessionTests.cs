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

    private static string SessionCookie(HttpResponseMessage response, string prefix)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
        var cookie = cookies.SingleOrDefault(c => c.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
        Assert.True(cookie is not null, $"no {prefix} cookie in: {string.Join(" | ", cookies.Select(c => c.Split('=')[0]))}");
        return cookie.ToLowerInvariant();
    }
}
