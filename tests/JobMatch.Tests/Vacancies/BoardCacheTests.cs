using System.Net;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;
using JobMatch.Vacancies;
using Microsoft.Extensions.DependencyInjection;
using static JobMatch.Tests.Vacancies.BoardTestData;

namespace JobMatch.Tests.Vacancies;

/// <summary>
/// The public board's output cache (issue 18, B7): anonymous pages and API answers come from the cache the second time
/// (the response then carries an <c>Age</c> header, which only the output cache adds), never for a signed-in user, per
/// language, and a published or closed vacancy shows on the next request on this node and, once the database's change
/// notice has reached it, on another node of the same database.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class BoardCacheTests(PostgresFixture database) : IAsyncLifetime
{
    private JobMatchApp _node1 = null!;
    private JobMatchApp _node2 = null!;

    public Task InitializeAsync()
    {
        _node1 = new JobMatchApp(database);
        _node2 = new JobMatchApp(database);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _node1.DisposeAsync();
        await _node2.DisposeAsync();
    }

    [Theory]
    [InlineData("/jobs?q={0}")]
    [InlineData("/api/board?q={0}")]
    [InlineData("/jobs/{1}")]
    [InlineData("/api/board/{1}")]
    public async Task BoardResponse_ComesFromCache_TheSecondTime(string path)
    {
        var token = Token();
        var id = await InsertVacancyAsync(database.DataSource, await CreateEmployerAsync(database.DataSource), $"Cached {token}");
        using var anonymous = _node1.CreatePlainClient();
        var url = string.Format(System.Globalization.CultureInfo.InvariantCulture, path, token, id);

        using var first = await anonymous.GetAsync(url);
        using var second = await anonymous.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Null(first.Headers.Age);
        Assert.NotNull(second.Headers.Age);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task BoardResponse_IsNotCached_WhenSignedIn()
    {
        var token = Token();
        await InsertVacancyAsync(database.DataSource, await CreateEmployerAsync(database.DataSource), $"Mine {token}");
        var (employer, _) = await _node1.SignedInClientAsync(Roles.Employer);
        using var anonymous = _node1.CreatePlainClient();

        using var signedIn1 = await employer.GetAsync($"/jobs?q={token}");
        using var signedIn2 = await employer.GetAsync($"/jobs?q={token}");
        using var api = await employer.GetAsync($"/api/board?q={token}");
        using var api2 = await employer.GetAsync($"/api/board?q={token}");
        var anonymousPage = await anonymous.GetStringAsync($"/jobs?q={token}");
        using var signedInAfter = await employer.GetAsync($"/jobs?q={token}");

        Assert.Null(signedIn2.Headers.Age);
        Assert.Null(api2.Headers.Age);
        Assert.Null(signedInAfter.Headers.Age);
        Assert.Equal("no-store", signedIn2.Headers.CacheControl?.ToString());
        // Neither copy leaks into the other: the anonymous page has no account menu, the signed-in one keeps its own.
        Assert.Contains("/account/logout", await signedIn1.Content.ReadAsStringAsync());
        Assert.DoesNotContain("/account/logout", anonymousPage);
        Assert.Contains("/account/logout", await signedInAfter.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task BoardResponse_VariesByLanguage()
    {
        var token = Token();
        var id = await InsertVacancyAsync(database.DataSource, await CreateEmployerAsync(database.DataSource), $"Tailor {token}", titleBn: $"দর্জি {token}");
        using var english = _node1.CreatePlainClient();
        using var bangla = _node1.CreatePlainClient();
        bangla.DefaultRequestHeaders.AcceptLanguage.ParseAdd("bn");
        using var cookie = _node1.CreatePlainClient();
        var switched = await cookie.PostAsync("/language", new FormUrlEncodedContent(new Dictionary<string, string> { ["culture"] = "bn", ["returnUrl"] = "/jobs" }));

        var en1 = await english.GetStringAsync($"/jobs/{id}");
        var en2 = await english.GetAsync($"/jobs/{id}");
        var bn = await bangla.GetStringAsync($"/jobs/{id}");
        var bnByCookie = await cookie.GetStringAsync($"/jobs/{id}");
        var enAgain = await english.GetStringAsync($"/jobs/{id}");

        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.NotNull(en2.Headers.Age);
        Assert.Contains($"<h1>Tailor {token}</h1>", en1);
        Assert.Contains($"<h1>দর্জি {token}</h1>", bn);
        Assert.Contains($"<h1>দর্জি {token}</h1>", bnByCookie);
        Assert.Contains($"<h1>Tailor {token}</h1>", enAgain);
    }

    [Fact]
    public async Task PublishedThenClosedVacancy_ShowsOnTheNextRequest_OnThisNodeAndAnother()
    {
        var token = Token();
        var (employer, _) = await EmployerClientAsync(_node1);
        var id = await CreateDraftAsync(employer, Input(token));
        using var here = _node1.CreatePlainClient();
        using var there = _node2.CreatePlainClient();
        var list = $"/jobs?q={token}";
        var api = $"/api/board?q={token}";
        // Both nodes hold the empty board for this search in their caches.
        foreach (var client in new[] { here, there })
        {
            Assert.DoesNotContain($"Tailor {token}", await client.GetStringAsync(list));
            Assert.NotNull((await client.GetAsync(list)).Headers.Age);
            Assert.DoesNotContain($"Tailor {token}", await client.GetStringAsync(api));
            Assert.NotNull((await client.GetAsync(api)).Headers.Age);
        }

        var notices = Listener(_node2).Received;
        (await employer.PostAsync($"/api/vacancies/{id}/publish", null)).EnsureSuccessStatusCode();
        Assert.Contains($"Tailor {token}", await here.GetStringAsync(list));
        Assert.Contains($"Tailor {token}", await here.GetStringAsync(api));
        await NoticeAsync(_node2, notices);
        Assert.Contains($"Tailor {token}", await there.GetStringAsync(list));
        Assert.Contains($"Tailor {token}", await there.GetStringAsync(api));
        // The vacancy's own page is cached too, on both nodes, before it closes.
        Assert.Equal(HttpStatusCode.OK, (await here.GetAsync($"/jobs/{id}")).StatusCode);
        Assert.NotNull((await here.GetAsync($"/jobs/{id}")).Headers.Age);
        Assert.Equal(HttpStatusCode.OK, (await there.GetAsync($"/jobs/{id}")).StatusCode);
        Assert.NotNull((await there.GetAsync($"/jobs/{id}")).Headers.Age);

        notices = Listener(_node2).Received;
        (await employer.PostAsync($"/api/vacancies/{id}/close", null)).EnsureSuccessStatusCode();
        Assert.DoesNotContain($"Tailor {token}", await here.GetStringAsync(list));
        Assert.Equal(HttpStatusCode.NotFound, (await here.GetAsync($"/jobs/{id}")).StatusCode);
        await NoticeAsync(_node2, notices);
        Assert.DoesNotContain($"Tailor {token}", await there.GetStringAsync(list));
        Assert.DoesNotContain($"Tailor {token}", await there.GetStringAsync(api));
        Assert.Equal(HttpStatusCode.NotFound, (await there.GetAsync($"/jobs/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await there.GetAsync($"/api/board/{id}")).StatusCode);
    }

    [Fact]
    public async Task ChangeMadeOutsideTheApp_ReachesTheCache_ThroughTheDatabaseNotice()
    {
        var token = Token();
        var employer = await CreateEmployerAsync(database.DataSource);
        var id = await InsertVacancyAsync(database.DataSource, employer, $"Welder {token}");
        using var anonymous = _node1.CreatePlainClient();
        Assert.Contains($"Welder {token}", await anonymous.GetStringAsync($"/jobs?q={token}"));
        Assert.NotNull((await anonymous.GetAsync($"/jobs?q={token}")).Headers.Age);

        // A suspension written by hand (or by another tool): the employer's vacancies leave the board.
        var notices = Listener(_node1).Received;
        await ScalarAsync<int>(database.DataSource, "UPDATE employer SET status = 'suspended', suspended_reason = 'test' WHERE organisation_id = @employer RETURNING 1", new { employer });
        await NoticeAsync(_node1, notices);

        Assert.DoesNotContain($"Welder {token}", await anonymous.GetStringAsync($"/jobs?q={token}"));
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/board/{id}")).StatusCode);
    }

    private static BoardChangeListener Listener(JobMatchApp node) => node.Services.GetRequiredService<BoardChangeListener>();

    /// <summary>
    /// Waits (up to 30 s, not a timing assertion) until the node's listener has taken a notice after <paramref name="before"/>:
    /// PostgreSQL delivers it right after the commit, but on its own connection, so not before this test's next line.
    /// </summary>
    internal static async Task NoticeAsync(JobMatchApp node, long before)
    {
        var listener = Listener(node);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (listener.Received <= before)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException("No board change notice reached the node.");
            await Task.Delay(20);
        }
    }
}
