using System.Net;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Matching;

[Collection(PostgresCollection.Name)]
public sealed class ModelPageTests(PostgresFixture database)
{
    [Fact]
    public async Task ModelPage_ShowsWhatRanks_ForAdminsOnly()
    {
        await using var app = new JobMatchApp(database);
        var (admin, _) = await app.SignedInClientAsync(Roles.Admin);
        var (employer, _) = await app.SignedInClientAsync(Roles.Employer);

        var page = await admin.GetAsync("/admin/model");
        var refused = await employer.GetAsync("/admin/model");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Ranking model", html);
        Assert.Contains("serves", html); // which ranker serves right now: the model or the rule-based fallback
        // The exploration share in plain words, and what it costs the shown lists (default: one slot in ten of 30).
        Assert.Contains("3 of every 30 proposals for a vacancy", html);
        Assert.Contains("What it costs", html);
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
    }
}
