using System.Net;
using Dapper;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace JobMatch.Tests.Identity;

/// <summary>
/// Issue 14 with two web nodes: the sign-in throttle (per user name, per address) and the registration limit (per
/// address) hold across nodes. Two in-process hosts share the database and see the same client address; attempts
/// split between them are limited as if they went to one (with counters in each process they got twice the attempts).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SharedThrottleTests(PostgresFixture database)
{
    private static Dictionary<string, string?> Limits(string key, string value) => new()
    {
        ["Identity:LoginAttemptsPerUserPerMinute"] = "1000",
        ["Identity:LoginAttemptsPerUserPerHour"] = "1000",
        ["Identity:LoginAttemptsPerIpPerMinute"] = "1000",
        [key] = value,
    };

    [Fact]
    public async Task SignInAttemptsOnOneName_AreThrottledAsOnOneNode_WhenSplitOverTwoNodes()
    {
        var userName = "split-" + Guid.NewGuid().ToString("N") + "@test.jobmatch.local";
        var statuses = await AlternateSignInsAsync(Limits("Identity:LoginAttemptsPerUserPerMinute", "4"), _ => userName);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task SignInAttemptsFromOneAddress_AreThrottledAsOnOneNode_WhenSplitOverTwoNodes()
    {
        var statuses = await AlternateSignInsAsync(Limits("Identity:LoginAttemptsPerIpPerMinute", "4"), i => $"spray-{i}-{Guid.NewGuid():N}@test.jobmatch.local");
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    /// <summary>Six wrong-password sign-ins from one address, alternately on two nodes, as <paramref name="name"/> names them.</summary>
    private async Task<List<HttpStatusCode>> AlternateSignInsAsync(Dictionary<string, string?> settings, Func<int, string> name)
    {
        var (first, second) = TwoNodes(settings);
        await using var _ = first;
        await using var __ = second;
        using var a = first.CreatePlainClient();
        using var b = second.CreatePlainClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++) statuses.Add((await JobMatchApp.SignInAsync(i % 2 == 0 ? a : b, name(i), "guess " + i)).StatusCode);
        return statuses;
    }

    [Fact]
    public async Task Owner_SignsInOnTheOtherNode_WhileAStrangerIsThrottledOnTheSameName()
    {
        var (first, second) = TwoNodes(Limits("Identity:LoginAttemptsPerUserPerMinute", "3"));
        await using var _ = first;
        await using var __ = second;
        var user = await first.CreateUserAsync(Roles.JobSeeker, null);
        // One browser (one cookie jar) that reaches either node, as behind a load balancer.
        var browser = new CookieContainer();
        using var ownerOnFirst = first.CreateDefaultClient(new CookieContainerHandler(browser));
        using var ownerOnSecond = second.CreateDefaultClient(new CookieContainerHandler(browser));
        Assert.Equal(HttpStatusCode.Redirect, (await JobMatchApp.SignInAsync(ownerOnFirst, user.UserName!, JobMatchApp.Password)).StatusCode);
        using var stranger = second.CreatePlainClient();
        for (var i = 0; i < 4; i++) await JobMatchApp.SignInAsync(stranger, user.UserName!, "guess " + i);

        // The owner's known-device cookie, issued by the first node, is read by the second (one key ring).
        var strangerAgain = await JobMatchApp.SignInAsync(stranger, user.UserName!, "guess again");
        var ownerAgain = await JobMatchApp.SignInAsync(ownerOnSecond, user.UserName!, JobMatchApp.Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, strangerAgain.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, ownerAgain.StatusCode);
    }

    [Fact]
    public async Task RegistrationPosts_AreLimitedAsOnOneNode_WhenSplitOverTwoNodes()
    {
        var (first, second) = TwoNodes(new Dictionary<string, string?> { ["Registration:PermitsPerWindow"] = "2" });
        await using var _ = first;
        await using var __ = second;
        using var a = first.CreatePlainClient();
        using var b = second.CreatePlainClient();
        var tokens = new[] { JobMatchApp.FormToken(await a.GetStringAsync("/register/employer")), JobMatchApp.FormToken(await b.GetStringAsync("/register/employer")) };

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            // Empty applications: refused for their content, but each one counts.
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = tokens[i % 2] });
            statuses.Add((await (i % 2 == 0 ? a : b).PostAsync("/register/employer", form)).StatusCode);
        }

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Counters_HoldNoSignInNameOrAddress_InClear()
    {
        var (first, second) = TwoNodes(Limits("Identity:LoginAttemptsPerUserPerMinute", "1000"));
        await using var _ = first;
        await using var __ = second;
        var canary = "canary-" + Guid.NewGuid().ToString("N") + "@test.jobmatch.local";
        using var a = first.CreatePlainClient();
        await JobMatchApp.SignInAsync(a, canary, "guess");

        await using var connection = await database.DataSource.OpenConnectionAsync();
        var dump = string.Join("\n", await connection.QueryAsync<string>("SELECT encode(key, 'escape') || ' ' || hits FROM throttle_counter"));
        Assert.DoesNotContain(canary, dump, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(first.ClientAddress.ToString(), dump, StringComparison.Ordinal);
    }

    /// <summary>Two hosts on the test database whose requests come from one client address.</summary>
    private (JobMatchApp First, JobMatchApp Second) TwoNodes(Dictionary<string, string?> settings)
    {
        var address = ClientAddressFilter.NewAddress();
        return (new JobMatchApp(database, settings) { ClientAddress = address }, new JobMatchApp(database, settings) { ClientAddress = address });
    }
}
