using System.Net;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.BackgroundJobs;

/// <summary>The Hangfire dashboard is for admins only (R29).</summary>
[Collection(PostgresCollection.Name)]
public sealed class DashboardTests(PostgresFixture database)
{
    [Fact]
    public async Task Dashboard_AnswersAdminOnly_WhenRequestedByAnonymousEmployerAndAdmin()
    {
        await using var app = new JobMatchApp(database);
        var anonymous = app.CreatePlainClient();
        var (employer, _) = await app.SignedInClientAsync(Roles.Employer);
        var (caseWorker, _) = await app.SignedInClientAsync(Roles.CaseWorker);
        var (admin, _) = await app.SignedInClientAsync(Roles.Admin);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/admin/jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/admin/jobs/jobs/succeeded")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await employer.GetAsync("/admin/jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await caseWorker.GetAsync("/admin/jobs/recurring")).StatusCode);
        var page = await admin.GetAsync("/admin/jobs");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("JobMatch", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/jobs/recurring")).StatusCode);
    }
}
