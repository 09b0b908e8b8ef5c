using System.Net;
using JobMatch.Notifications;
using JobMatch.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace JobMatch.Tests.Operations;

/// <summary>Forwarded headers are believed from the listed proxy only; the public base URL feeds the links that leave.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ReverseProxyTests(PostgresFixture database)
{
    private static readonly IPAddress Proxy = IPAddress.Parse("10.20.30.40");

    [Theory]
    [InlineData("10.20.30.40", "203.0.113.9", "https")]   // the listed proxy: believed
    [InlineData("10.99.99.99", "10.20.30.40", "http")]    // another proxy: ignored
    [InlineData(null, "10.20.30.40", "http")]             // none listed: ignored
    public async Task ForwardedHeaders_AreBelievedOnlyFromListedProxy(string? knownProxy, string expectedClient, string expectedScheme)
    {
        await using var app = new JobMatchApp(database, new Dictionary<string, string?> { ["ReverseProxy:KnownProxies:0"] = knownProxy })
        {
            TestServices = services => services.AddSingleton<IStartupFilter>(new FromProxy()),
        };
        using var client = app.CreatePlainClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        request.Headers.Add("X-Forwarded-Proto", "https");

        var response = await client.SendAsync(request);

        Assert.Equal(expectedClient, response.Headers.GetValues("X-Seen-Client").Single());
        Assert.Equal(expectedScheme, response.Headers.GetValues("X-Seen-Scheme").Single());
    }

    [Fact]
    public async Task PublicBaseUrl_IsTheBaseOfEmailLinks_WhenSet()
    {
        await using var app = new JobMatchApp(database, new Dictionary<string, string?> { ["JobMatch:PublicBaseUrl"] = "https://jobs.example.org" });

        Assert.Equal(new Uri("https://jobs.example.org/"), app.Services.GetRequiredService<IOptions<NotificationOptions>>().Value.PublicBaseUrl);
    }

    /// <summary>Every request arrives from <see cref="Proxy"/>; the response says what the app made of it after its pipeline ran.</summary>
    private sealed class FromProxy : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, inner) =>
            {
                context.Connection.RemoteIpAddress = Proxy;
                context.Response.OnStarting(() =>
                {
                    context.Response.Headers["X-Seen-Client"] = context.Connection.RemoteIpAddress?.ToString();
                    context.Response.Headers["X-Seen-Scheme"] = context.Request.Scheme;
                    return Task.CompletedTask;
                });
                await inner(context);
            });
            next(app);
        };
    }
}
