using System.Net;
using System.Text.Json;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Web;

[Collection(PostgresCollection.Name)]
public sealed class PageFrameTests(PostgresFixture database, SharedApp shared) : IClassFixture<SharedApp>
{
    private readonly JobMatchApp _app = shared.For(database); // one host for the class (SharedApp)

    [Fact]
    public async Task LoginPage_RendersBangla_WhenLanguageSwitchedToBangla()
    {
        using var client = _app.CreatePlainClient();
        var token = await JobMatchApp.FormTokenAsync(client, "/account/login");

        var switched = await client.PostAsync("/language", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["culture"] = "bn", ["returnUrl"] = "/account/login", ["__RequestVerificationToken"] = token,
        }));
        var html = await client.GetStringAsync("/account/login");

        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Contains("lang=\"bn\"", html);
        Assert.Contains("সাইন ইন", html);
        Assert.Contains("পাসওয়ার্ড", html);
    }

    [Fact]
    public async Task LanguageSwitch_IsRefused_WithoutAntiforgeryToken_WhenSignedIn()
    {
        var (client, _) = await _app.SignedInClientAsync(Roles.CaseWorker);
        var response = await client.PostAsync("/language", new FormUrlEncodedContent(new Dictionary<string, string> { ["culture"] = "bn" }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(".AspNetCore.Culture", StringComparison.Ordinal)));
    }

    /// <summary>
    /// Anonymous board pages come from a shared cache and cannot carry a per-visitor token; without an account session
    /// a forged switch could only change the language (see Web/Localisation).
    /// </summary>
    [Fact]
    public async Task LanguageSwitch_NeedsNoToken_WhenAnonymous()
    {
        using var client = _app.CreatePlainClient();
        var response = await client.PostAsync("/language", new FormUrlEncodedContent(new Dictionary<string, string> { ["culture"] = "bn", ["returnUrl"] = "/jobs" }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("lang=\"bn\"", await client.GetStringAsync("/jobs"));
    }

    [Fact]
    public async Task LoginPage_CarriesSecurityHeadersAndWeighsUnder100KB()
    {
        using var client = _app.CreatePlainClient();
        var page = await client.GetAsync("/account/login");
        var html = await page.Content.ReadAsStringAsync();
        var css = await client.GetByteArrayAsync("/css/site.css");

        var csp = string.Join(" ", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        Assert.DoesNotContain("<script", html);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(html) + css.Length < 100 * 1024);
    }

    [Fact]
    public async Task SignedInPages_AreNotStored_ByTheBrowser()
    {
        var (client, _) = await _app.SignedInClientAsync(Roles.Admin);
        var response = await client.GetAsync("/api/me");
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Ready_ReportsDatabaseHealthy_WhenMigrated()
    {
        using var client = _app.CreatePlainClient();
        var response = await client.GetAsync("/health/ready");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", json.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task Api_RefusesUnsafeMethod_WithoutAntiforgeryHeader()
    {
        var (client, _) = await _app.SignedInClientAsync(Roles.Admin);
        var response = await client.PostAsync("/api/me", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task SignInCookie_IsAccepted_ByASecondAppInstanceOnTheSameDatabase()
    {
        var (client, _) = await _app.SignedInClientAsync(Roles.CaseWorker);
        var me = await client.GetAsync("/api/me");
        var cookies = string.Join("; ", me.RequestMessage!.Headers.GetValues("Cookie"));

        await using var second = new JobMatchApp(database);
        using var other = second.CreatePlainClient();
        other.DefaultRequestHeaders.Add("Cookie", cookies);
        var response = await other.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("case_worker", await response.Content.ReadAsStringAsync());
    }
}
