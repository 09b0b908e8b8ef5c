using System.Net;
using System.Text;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Security;

/// <summary>
/// R14: every unsafe request (POST, PUT, PATCH, DELETE) without an antiforgery token is refused with 400, for every
/// endpoint the app has, sent by a signed-in user the endpoint admits. A role the endpoint does not admit may be
/// refused by authorization instead, but at least one admitted caller must reach the antiforgery check, and no
/// request may get through to the handler.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class AntiforgeryCoverageTests(PostgresFixture database)
{
    private static readonly string[] UnsafeMethods = ["POST", "PUT", "PATCH", "DELETE"];

    /// <summary>Health endpoints answer any method and never change anything (they only read).</summary>
    private static readonly string[] AnyMethodReadOnly = ["/health/live", "/health/ready"];

    /// <summary>
    /// The SMS gateway's reply callback: not a browser's endpoint (no cookie is read, so there is nothing to forge); the
    /// caller proves itself with the shared secret from loopback or an allowed address, and without it gets 404.
    /// </summary>
    private static readonly string[] GatewayCallbacks = ["/sms/mo"];

    [Fact]
    public async Task EveryUnsafeRequest_WithoutAntiforgeryToken_IsRefusedWith400()
    {
        await using var app = new JobMatchApp(database);
        using var clients = await RoleClients.SignInAllAsync(app);
        var targets = EndpointCatalogue.All(app.Services)
            .SelectMany(e => MethodsToTry(e).Select(method => (Endpoint: e, Method: method)))
            .ToList();
        Assert.Contains(targets, t => t.Endpoint.Route == "/account/logout");

        var failures = new List<string>();
        foreach (var (endpoint, method) in targets)
        {
            var reachedCheck = false;
            foreach (var (who, client) in clients.For(endpoint))
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), endpoint.Path) { Content = Body(endpoint) };
                using var response = await client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                if (GatewayCallbacks.Contains(endpoint.Route))
                {
                    if (response.StatusCode == HttpStatusCode.NotFound) reachedCheck = true;
                    else failures.Add($"{method} {endpoint.Route} as {who}: {(int)response.StatusCode} (a gateway callback without its secret must be 404)");
                }
                else if (response.StatusCode == HttpStatusCode.BadRequest && (!endpoint.IsApi || body.Contains("antiforgery", StringComparison.OrdinalIgnoreCase)))
                {
                    reachedCheck = true;
                }
                else if (endpoint.Route.StartsWith("/admin/jobs", StringComparison.Ordinal) && who == JobMatch.Identity.Roles.Admin && response.StatusCode == HttpStatusCode.Forbidden)
                {
                    // Hangfire's dashboard checks ASP.NET Core's antiforgery token itself and answers 403; the caller is an admin,
                    // so authorization passed and the 403 is the token check.
                    reachedCheck = true;
                }
                else if (!IsAuthorizationRefusal(response))
                {
                    failures.Add($"{method} {endpoint.Route} as {who}: {(int)response.StatusCode} {response.Headers.Location}");
                }
            }
            if (!reachedCheck && !failures.Any(f => f.StartsWith($"{method} {endpoint.Route} ", StringComparison.Ordinal)))
            {
                failures.Add($"{method} {endpoint.Route}: no caller reached the antiforgery check (roles tried: {string.Join(", ", clients.For(endpoint).Select(c => c.Who))})");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {targets.Count} unsafe requests:{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");
    }

    private static IEnumerable<string> MethodsToTry(EndpointInfo endpoint)
    {
        if (endpoint.IsPage) return ["POST"]; // a page takes any method; its handlers are OnPost*
        if (endpoint.Methods.Count == 0) return AnyMethodReadOnly.Contains(endpoint.Route) ? [] : ["POST"];
        return endpoint.Methods.Intersect(UnsafeMethods);
    }

    private static HttpContent Body(EndpointInfo endpoint) =>
        endpoint.IsApi
            ? new StringContent("{}", Encoding.UTF8, "application/json")
            : new FormUrlEncodedContent(new Dictionary<string, string>());

    private static bool IsAuthorizationRefusal(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
        || (response.StatusCode == HttpStatusCode.Redirect
            && response.Headers.Location?.OriginalString is { } location
            && (location.Contains("/account/login", StringComparison.Ordinal) || location.Contains("/account/denied", StringComparison.Ordinal)));
}
