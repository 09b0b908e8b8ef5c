using System.Net;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Security;

/// <summary>
/// R10: a staff session authenticated by password only reaches nothing behind a policy. Such a session can only be
/// made where the requirement is switched off, so the cookie is made by an app with
/// <c>Security:RequireStaffTwoFactor=false</c> and replayed against the normal app (same key ring, same database).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class StaffSecondFactorTests(PostgresFixture database)
{
    [Theory]
    [InlineData(Roles.Admin, "platform")]
    [InlineData(Roles.CaseWorker, "case_agency")]
    [InlineData(Roles.TrainingProvider, "training_provider")]
    [InlineData(Roles.ChamberAdmin, "membership_body")]
    public async Task PasswordOnlyStaffSession_IsRefusedByEveryProtectedGetEndpoint(string role, string organisationKind)
    {
        await using var lax = new JobMatchApp(database, new Dictionary<string, string?> { ["Security:RequireStaffTwoFactor"] = "false" });
        var organisation = organisationKind == "membership_body"
            ? JobMatch.Chambers.MembershipBodies.Ids["nascib"] // the three bodies exist once each (migration 1700)
            : await lax.CreateOrganisationAsync(organisationKind);
        var user = await lax.CreateUserAsync(role, organisation, withAuthenticator: false);
        using var passwordOnly = lax.CreatePlainClient();
        Assert.Equal(HttpStatusCode.Redirect, (await JobMatchApp.SignInAsync(passwordOnly, user.UserName, JobMatchApp.Password)).StatusCode);
        var me = await passwordOnly.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode); // control: the cookie works where the requirement is off
        var cookie = string.Join("; ", me.RequestMessage!.Headers.GetValues("Cookie"));

        await using var strict = new JobMatchApp(database);
        using var replay = strict.CreatePlainClient();
        replay.DefaultRequestHeaders.Add("Cookie", cookie);
        var endpoints = EndpointCatalogue.All(strict.Services)
            .Where(e => !e.Anonymous && (e.IsPage || e.Methods.Contains("GET")))
            .ToList();
        Assert.Contains(endpoints, e => e.Route == "/api/me");

        var reached = new List<string>();
        foreach (var endpoint in endpoints)
        {
            using var response = await replay.GetAsync(endpoint.Path);
            var refused = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString is { } to
                    && (to.Contains("/account/login", StringComparison.Ordinal) || to.Contains("/account/denied", StringComparison.Ordinal)));
            if (!refused) reached.Add($"{endpoint.Route}: {(int)response.StatusCode}");
        }

        Assert.True(reached.Count == 0, string.Join(Environment.NewLine, reached));
    }
}
