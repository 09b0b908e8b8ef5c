using JobMatch.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;

namespace JobMatch.Tests.Web;

/// <summary>
/// Every endpoint names an authorization policy or is on this short, reviewed list of anonymous ones (R6).
/// Adding to the list is a review decision: it must stay short.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class EndpointPolicyTests(PostgresFixture database)
{
    public static readonly string[] ReviewedAnonymous =
    [
        "/", "/account/login", "/account/denied", "/error/{code:int?}", "/language",
        "/health/live", "/health/ready", "/api/antiforgery", "/openapi/{documentName}.json",
        // The public job board (issue 4): open vacancies of verified employers, nothing about job seekers.
        "/jobs", "/jobs/{id:long}", "/api/board", "/api/board/{id:long}",
        // The second sign-in step: reachable only with the 5-minute "password checked" cookie, else back to sign-in.
        "/account/two-factor", "/account/enrol-authenticator",
        // An invitation link (issue 17): the single-use token in the address is the credential.
        "/account/invitation",
        // A business registers itself (issue 17): rate limited, and the account waits for its chamber's verification.
        "/register/employer",
        // The SMS gateway's callbacks (issue 15): the shared secret and a loopback or allowed source, else 404.
        "/sms/dlr", "/sms/mo",
    ];

    [Fact]
    public async Task EveryEndpoint_HasPolicyOrIsReviewedAnonymous()
    {
        await using var app = new JobMatchApp(database);
        _ = app.Services; // builds the host
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.NotEmpty(endpoints);

        var failures = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var route = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Where(a => !string.IsNullOrEmpty(a.Policy) || !string.IsNullOrEmpty(a.Roles)).ToList();
            if (anonymous && !ReviewedAnonymous.Contains(route))
            {
                failures.Add($"{route}: anonymous but not on the reviewed list");
            }
            if (!anonymous && policies.Count == 0)
            {
                failures.Add($"{route}: no explicit policy");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }
}
