using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Web;

/// <summary>Each role reaches every page of its own by clicking from its home page (no address to type or bookmark).</summary>
[Collection(PostgresCollection.Name)]
public sealed class HomePageLinkTests(PostgresFixture database)
{
    [Theory]
    [InlineData(Roles.CaseWorker, "/casework", new[] { "/casework/review", "/casework/offers", "/casework/register", "/casework/team" })]
    [InlineData(Roles.Admin, "/admin", new[] { "/admin/programme", "/admin/model", "/admin/outbox", "/admin/jobs", "/admin/employers", "/admin/organisations" })]
    [InlineData(Roles.Employer, "/employer", new[] { "/employer/checkins", "/employer/vacancy", "/employer/profile" })]
    [InlineData(Roles.ChamberAdmin, "/chamber", new[] { "/chamber/employers" })]
    public async Task HomePage_LinksEveryPageOfTheRole_InEnglishAndBangla(string role, string home, string[] pages)
    {
        await using var app = new JobMatchApp(database);
        foreach (var language in new[] { "en", "bn" })
        {
            var (client, _) = await app.SignedInClientAsync(role, language: language);
            var html = await client.GetStringAsync(home);

            Assert.Contains($"<html lang=\"{language}\">", html);
            foreach (var page in pages)
            {
                Assert.Contains($"href=\"{page}\"", html);
            }
        }
    }
}
