using System.Net;
using System.Net.Http.Json;
using JobMatch.Tests.Infrastructure;
using static JobMatch.Tests.Vacancies.BoardTestData;

namespace JobMatch.Tests.Employers;

/// <summary>
/// Issue 17, a business registers itself: a plain form post (no script) makes a pending employer whose generated
/// sign-in can draft but not publish; a trade licence already registered is refused with a message that names
/// nobody; past the per-address limit the framework's rate limiter answers 429.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class EmployerRegistrationTests(PostgresFixture database) : IAsyncLifetime
{
    private JobMatchApp _app = null!;

    public Task InitializeAsync()
    {
        _app = new JobMatchApp(database, new Dictionary<string, string?> { ["Registration:PermitsPerWindow"] = "1000" });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Register_MakesPendingEmployerSignedIn_ThatCanDraftButNotPublish()
    {
        using var client = _app.CreatePlainClient();
        var licence = "TRAD/CXB/" + Token();

        var response = await client.PostAsync("/register/employer", await FormAsync(client, licence, "Sea Shell Crafts"));
        var html = await response.Content.ReadAsStringAsync();
        await JobMatchApp.UseApiTokenAsync(client);
        var me = await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/employers/me");
        var employerId = me.GetProperty("organisationId").GetGuid();
        var draft = await CreateDraftAsync(client, Input(Token()));
        var publish = await client.PostAsync($"/api/vacancies/{draft}/publish", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches("id=\"sign-in-name\">biz-[a-z]{8}<", html);
        Assert.Equal("pending", me.GetProperty("status").GetString());
        Assert.Equal("ukhia", me.GetProperty("upazilaCode").GetString());
        Assert.Equal("women_chamber", me.GetProperty("membership").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, publish.StatusCode);
        Assert.Equal(1, await ScalarAsync<long>(database.DataSource,
            "SELECT count(*) FROM audit_log WHERE action = 'employer_registered' AND subject = @subject", new { subject = $"employer:{employerId}" }));
    }

    [Fact]
    public async Task Register_RefusesDuplicateTradeLicence_WithAClearMessageNamingNobody()
    {
        var licence = "TL-" + Token();
        using var first = _app.CreatePlainClient();
        Assert.Equal(HttpStatusCode.OK, (await first.PostAsync("/register/employer", await FormAsync(first, licence, "First Business Ltd"))).StatusCode);
        using var second = _app.CreatePlainClient();
        second.DefaultRequestHeaders.Add("Accept-Language", "bn");

        // The same licence written differently (spaces, case) is the same licence.
        var response = await second.PostAsync("/register/employer", await FormAsync(second, " " + licence.ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal), "Second Business"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("এই ট্রেড লাইসেন্স নম্বর আগেই নিবন্ধিত", html);
        Assert.DoesNotContain("First Business", html);
        Assert.Contains("value=\"Second Business\"", html); // nothing typed is lost
        Assert.Equal(1, await ScalarAsync<long>(database.DataSource,
            "SELECT count(*) FROM employer WHERE upper(regexp_replace(trade_licence_number, '[^A-Za-z0-9]', '', 'g')) = @key",
            new { key = JobMatch.Employers.EmployerRegistration.LicenceKey(licence) }));
        Assert.Equal(0, await ScalarAsync<long>(database.DataSource, "SELECT count(*) FROM organisation WHERE name = 'Second Business'"));
    }

    [Fact]
    public async Task Register_RefusesWeakPassword_AndWritesNothing()
    {
        using var client = _app.CreatePlainClient();
        var licence = "TL-" + Token();

        var response = await client.PostAsync("/register/employer", await FormAsync(client, licence, "Weak Password Shop", password: "password123"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("too common", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await ScalarAsync<long>(database.DataSource, "SELECT count(*) FROM employer WHERE trade_licence_number = @licence", new { licence }));
    }

    [Fact]
    public async Task Register_Answers429_PastTheLimitPerAddress()
    {
        await using var strict = new JobMatchApp(database, new Dictionary<string, string?> { ["Registration:PermitsPerWindow"] = "2" });
        using var client = strict.CreatePlainClient();
        var token = JobMatchApp.FormToken(await client.GetStringAsync("/register/employer"));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            // Empty applications: refused for their content, but each one counts.
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token });
            statuses.Add((await client.PostAsync("/register/employer", form)).StatusCode);
        }
        var stillReadable = await client.GetAsync("/register/employer");

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, (HttpStatusCode)429], statuses);
        Assert.Equal(HttpStatusCode.OK, stillReadable.StatusCode);
    }

    private static async Task<FormUrlEncodedContent> FormAsync(HttpClient client, string licence, string name, string password = "coral reef morning tide")
    {
        var page = await client.GetStringAsync("/register/employer");
        Assert.DoesNotContain("<script", page); // the form needs no script
        return new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = JobMatchApp.FormToken(page),
            ["Input.Name"] = name,
            ["Input.Membership"] = "women_chamber",
            ["Input.MembershipNumber"] = "WC-" + Token(),
            ["Input.TradeLicenceNumber"] = licence,
            ["Input.SectorCode"] = "garments",
            ["Input.ContactPerson"] = "Rokeya Begum",
            ["Input.ContactPhone"] = "01711-000000",
            ["Input.Address"] = "Main Road, Ukhia",
            ["Input.PreferredLanguage"] = "bn",
            ["UpazilaCode"] = "ukhia",
            ["Password"] = password,
            ["ConfirmPassword"] = password,
        });
    }
}
