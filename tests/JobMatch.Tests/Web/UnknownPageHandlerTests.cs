using System.Net;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Matching;

namespace JobMatch.Tests.Web;

/// <summary>A page POST that names no handler of the page answers 404; before, pages rendered without their data and failed with 500.</summary>
[Collection(PostgresCollection.Name)]
public sealed class UnknownPageHandlerTests(PostgresFixture database)
{
    [Fact]
    public async Task PagePost_Answers404_WhenItNamesNoHandlerOrAnUnknownOne()
    {
        await using var app = new JobMatchApp(database, FlowWorld.Settings());
        var world = new FlowWorld(app, database);
        var worker = await world.CaseWorkerAsync();
        var seeker = await world.SeekerAsync(worker);
        var employer = await world.EmployerAsync();
        var vacancy = await world.VacancyAsync(employer.Id);
        await world.ProposeAndApproveAsync(vacancy, worker, seeker);

        foreach (var (client, path) in new[]
                 {
                     (worker.Client, $"/casework/seekers/{seeker.Reference}"),
                     (employer.Client, $"/employer/vacancies/{vacancy}/shortlist"),
                 })
        {
            var token = await JobMatchApp.FormTokenAsync(client, path);
            foreach (var target in new[] { path, path + "?handler=NoSuchHandler" })
            {
                var response = await client.PostAsync(target, new FormUrlEncodedContent(
                    new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"POST {target} answered {(int)response.StatusCode}");
            }
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path)).StatusCode); // GET still renders the page
        }
    }
}
