using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using JobMatch.Chambers;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;
using static JobMatch.Tests.Vacancies.BoardTestData;

namespace JobMatch.Tests.Chambers;

/// <summary>
/// Issue 17: a chamber admin vets only the employers claiming their body (another body's: 404, unchanged), every
/// decision is audited with the chamber admin as actor and goes through the platform's vetting (a suspension closes
/// the member's vacancies), and no job seeker page or API opens to them.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ChamberAdminTests(PostgresFixture database, SharedApp shared) : IClassFixture<SharedApp>
{
    private readonly JobMatchApp _app = shared.For(database); // one host for the class (SharedApp)

    [Fact]
    public async Task ChamberAdmin_GetsNotFoundAndChangesNothing_ForAnotherBodysEmployer()
    {
        var nascibMember = await MemberAsync("nascib", "pending");
        var suspendedNascib = await MemberAsync("nascib", "suspended");
        var (women, _) = await ChamberAdminAsync("women_chamber");
        var pageToken = await JobMatchApp.FormTokenAsync(women, "/chamber");

        var answers = new Dictionary<string, HttpStatusCode>
        {
            ["page"] = (await women.GetAsync($"/chamber/employers/{nascibMember}")).StatusCode,
            ["page verify"] = (await women.PostAsync($"/chamber/employers/{nascibMember}?handler=Verify", Form(pageToken))).StatusCode,
            ["page suspend"] = (await women.PostAsync($"/chamber/employers/{nascibMember}?handler=Suspend", Form(pageToken, "Fees"))).StatusCode,
            ["page reinstate"] = (await women.PostAsync($"/chamber/employers/{suspendedNascib}?handler=Reinstate", Form(pageToken))).StatusCode,
            ["api"] = (await women.GetAsync($"/api/chamber/employers/{nascibMember}")).StatusCode,
            ["api verify"] = (await women.PostAsync($"/api/chamber/employers/{nascibMember}/verify", null)).StatusCode,
            ["api suspend"] = (await women.PostAsJsonAsync($"/api/chamber/employers/{nascibMember}/suspend", new { reason = "Fees" })).StatusCode,
            ["api reinstate"] = (await women.PostAsync($"/api/chamber/employers/{suspendedNascib}/reinstate", null)).StatusCode,
        };
        var list = await women.GetStringAsync("/chamber/employers?status=all");

        Assert.All(answers, a => Assert.True(a.Value == HttpStatusCode.NotFound, $"{a.Key}: {(int)a.Value}"));
        Assert.DoesNotContain(nascibMember.ToString(), list);
        Assert.Equal("pending", await StatusAsync(nascibMember));
        Assert.Equal("suspended", await StatusAsync(suspendedNascib));
        Assert.Equal(0, await ScalarAsync<long>(database.DataSource,
            "SELECT count(*) FROM audit_log WHERE subject = ANY (@subjects)",
            new { subjects = new[] { $"employer:{nascibMember}", $"employer:{suspendedNascib}" } }));
    }

    [Fact]
    public async Task ChamberAdmin_VerifiesSuspendsAndReinstatesOwnMember_AuditedAsActor()
    {
        var member = await MemberAsync("women_chamber", "pending");
        var (women, admin) = await ChamberAdminAsync("women_chamber");
        var waiting = await women.GetStringAsync("/chamber/employers");
        var token = await JobMatchApp.FormTokenAsync(women, $"/chamber/employers/{member}");

        var verify = await women.PostAsync($"/chamber/employers/{member}?handler=Verify", Form(token));
        var verifiedBy = await ScalarAsync<Guid?>(database.DataSource, "SELECT verified_by FROM employer WHERE organisation_id = @member", new { member });
        var open = await InsertVacancyAsync(database.DataSource, member, Token());
        var noReason = await women.PostAsync($"/chamber/employers/{member}?handler=Suspend", Form(token, " "));
        var suspend = await women.PostAsync($"/chamber/employers/{member}?handler=Suspend", Form(token, "Asked workers for a fee"));
        var suspendedStatus = await StatusAsync(member);
        var reinstate = await women.PostAsync($"/chamber/employers/{member}?handler=Reinstate", Form(token));

        Assert.Contains($"/chamber/employers/{member}", waiting);
        Assert.Equal(HttpStatusCode.Redirect, verify.StatusCode);
        Assert.Equal(admin.Id, verifiedBy);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("Give a reason.", await noReason.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, suspend.StatusCode);
        Assert.Equal("suspended", suspendedStatus);
        Assert.Equal("closed", await ScalarAsync<string>(database.DataSource, "SELECT status FROM vacancy WHERE id = @open", new { open }));
        Assert.Equal(HttpStatusCode.Redirect, reinstate.StatusCode);
        Assert.Equal("verified", await StatusAsync(member));
        var audited = (await QueryAsync<string>(
            "SELECT action FROM audit_log WHERE subject = @subject AND actor_user_id = @actor ORDER BY id",
            new { subject = $"employer:{member}", actor = admin.Id })).ToList();
        Assert.Equal(["employer_verify", "employer_suspend", "employer_reinstate"], audited);
    }

    [Theory]
    [InlineData("/casework")]
    [InlineData("/casework/register")]
    [InlineData("/casework/seekers/ANYREF")]
    [InlineData("/api/casework/seekers/")]
    [InlineData("/api/casework/seekers/ANYREF")]
    [InlineData("/api/training/trainees")]
    [InlineData("/training")]
    [InlineData("/me/offers")]
    [InlineData("/api/me/offers/")]
    [InlineData("/admin/programme")]
    [InlineData("/api/employer/vacancies/1/shortlist")]
    public async Task ChamberAdmin_IsRefused_OnSeekerPagesAndApi(string path)
    {
        var (chamber, _) = await ChamberAdminAsync("chamber");

        using var response = await chamber.GetAsync(path);

        var location = response.Headers.Location?.OriginalString ?? "";
        Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound
            || (response.StatusCode == HttpStatusCode.Redirect && location.Contains("/account/denied", StringComparison.Ordinal)),
            $"{path}: {(int)response.StatusCode} {location}");
    }

    [Fact]
    public async Task ChamberFigures_EqualDirectCounts_WithSmallCountsSuppressed()
    {
        var member = await MemberAsync("nascib", "verified");
        await InsertVacancyAsync(database.DataSource, member, Token());
        var (nascib, _) = await ChamberAdminAsync("nascib");

        var figures = JsonDocument.Parse(await nascib.GetStringAsync("/api/chamber/figures")).RootElement;
        var page = await nascib.GetStringAsync("/chamber");

        var members = await ScalarAsync<long>(database.DataSource, "SELECT count(*) FROM organisation WHERE kind = 'employer' AND membership = 'nascib'");
        var open = await ScalarAsync<long>(database.DataSource,
            "SELECT count(*) FROM vacancy v JOIN organisation o ON o.id = v.employer_id WHERE o.membership = 'nascib' AND v.status = 'open'");
        var proposals = await ScalarAsync<long>(database.DataSource,
            "SELECT count(*) FROM match m JOIN vacancy v ON v.id = m.vacancy_id JOIN organisation o ON o.id = v.employer_id WHERE o.membership = 'nascib'");
        Assert.Equal(members, figures.GetProperty("members").GetProperty("members").GetInt64());
        Assert.Equal(open, figures.GetProperty("members").GetProperty("openVacancies").GetInt64());
        var shown = figures.GetProperty("total").GetProperty("stages")[0];
        if (proposals is > 0 and < 5) Assert.Equal(JsonValueKind.Null, shown.ValueKind);
        else Assert.Equal(proposals, shown.GetInt64());
        Assert.Equal(["sector", "vacancy"], figures.GetProperty("breakdowns").EnumerateObject().Select(p => p.Name).Order().ToArray());
        Assert.Contains("<svg", page);
        Assert.Contains("NASCIB", page);
    }

    private async Task<(HttpClient Client, AppUser User)> ChamberAdminAsync(string membership)
    {
        var (client, user) = await _app.SignedInClientAsync(Roles.ChamberAdmin, MembershipBodies.Ids[membership]);
        await JobMatchApp.UseApiTokenAsync(client);
        return (client, user);
    }

    private async Task<Guid> MemberAsync(string membership, string status)
    {
        var id = await CreateEmployerAsync(database.DataSource, status);
        await using var c = await database.DataSource.OpenConnectionAsync();
        await c.ExecuteAsync("UPDATE organisation SET membership = @membership WHERE id = @id", new { membership, id });
        return id;
    }

    private Task<string> StatusAsync(Guid id) =>
        ScalarAsync<string>(database.DataSource, "SELECT status FROM employer WHERE organisation_id = @id", new { id });

    private async Task<IEnumerable<T>> QueryAsync<T>(string sql, object args)
    {
        await using var c = await database.DataSource.OpenConnectionAsync();
        return await c.QueryAsync<T>(sql, args);
    }

    private static FormUrlEncodedContent Form(string token, string? reason = null) => new(new Dictionary<string, string>
    {
        ["__RequestVerificationToken"] = token,
        ["Reason"] = reason ?? "",
    });
}
