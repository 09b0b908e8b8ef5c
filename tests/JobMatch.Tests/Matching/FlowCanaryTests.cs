using System.Net;
using Dapper;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Matching;

/// <summary>
/// security.md R1/R2 for the employer's side of a match: canaries in every identity field, the case file, the
/// referring agency's and the certifying provider's names; a crawl of every employer page and API response.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class FlowCanaryTests(PostgresFixture database)
{
    [Fact]
    public async Task EmployerOutputs_ShowOnlyConsentedNameAndPhone_OnThatVacancy_AndHideThemAfterWithdrawal()
    {
        await using var app = new JobMatchApp(database, FlowWorld.Settings());
        var world = new FlowWorld(app, database);
        var worker = await world.CaseWorkerAsync();
        var a = await world.SeekerAsync(worker);
        var b = await world.SeekerAsync(worker);
        var employer = await world.EmployerAsync();
        var other = await world.EmployerAsync();
        var v1 = await world.VacancyAsync(employer.Id);
        var v2 = await world.VacancyAsync(employer.Id);
        var v3 = await world.VacancyAsync(other.Id);
        var a1 = await world.ProposeAndApproveAsync(v1, worker, a);
        await world.ProposeAndApproveAsync(v1, worker, b);
        var a2 = await world.ProposeAndApproveAsync(v2, worker, a);
        var a3 = await world.ProposeAndApproveAsync(v3, worker, a);
        string[] everything = [.. a.Canaries.All, .. b.Canaries.All, a.ProviderName, b.ProviderName, worker.AgencyName,
            "trafficking_survivor", "1999-04-12", "12 April 1999", a.Reference, b.Reference];

        // Before acceptance: cards, comparison, invite and the pages show none of it.
        var before = await CrawlAsync(world, employer, [v1], [a, b]) + await CrawlAsync(world, employer, [v2], [a]);
        Assert.Contains(await world.HandleAsync(v1, a.Id), before);
        AssertNone(before, everything);
        Assert.Equal(HttpStatusCode.NoContent, (await employer.Client.PostAsync($"/api/employer/vacancies/{v1}/candidates/{await world.HandleAsync(v1, a.Id)}/invite", null)).StatusCode);
        AssertNone(await CrawlAsync(world, employer, [v1], [a, b]) + await CrawlAsync(world, employer, [v2], [a]), everything);

        // After A accepts for v1 (and is also 'accepted' on v2 and at another employer, without consent there).
        var consentId = await world.AcceptAsync(worker, a, employer.Id, v1, a1);
        await world.SetStatusAsync(a2, "accepted");
        await world.SetStatusAsync(a3, "accepted");
        var v1Outputs = await CrawlAsync(world, employer, [v1], [a, b]);
        Assert.Contains(a.Canaries.Name, v1Outputs);
        Assert.Contains(a.Canaries.Phone, v1Outputs);
        AssertNone(v1Outputs, everything.Except([a.Canaries.Name, a.Canaries.Phone, a.Canaries.Phone.Replace("+88", "")]));
        AssertNone(await CrawlAsync(world, employer, [v2], [a]), everything);
        AssertNone(await CrawlAsync(world, other, [v3], [a]), everything);
        Assert.True(await ContactReadsAsync(a.Reference, employer.UserId) > 0, "each disclosure to the employer is audited");

        // Withdrawn: hidden again on the next request.
        var withdraw = await worker.Client.PostAsync($"/api/casework/seekers/{a.Reference}/consents/{consentId}/withdraw", null);
        Assert.Equal(HttpStatusCode.NoContent, withdraw.StatusCode);
        AssertNone(await CrawlAsync(world, employer, [v1], [a, b]) + await CrawlAsync(world, employer, [v2], [a]), everything);
    }

    /// <summary>Every employer page and API response about these vacancies and candidates, concatenated.</summary>
    private static async Task<string> CrawlAsync(FlowWorld world, FlowWorld.Employer employer, long[] vacancies, FlowWorld.Seeker[] seekers)
    {
        var paths = new List<string> { "/employer", "/api/vacancies" };
        foreach (var v in vacancies)
        {
            paths.AddRange([$"/api/vacancies/{v}", $"/api/employer/vacancies/{v}/shortlist", $"/employer/vacancies/{v}/shortlist"]);
            foreach (var seeker in seekers)
            {
                var r = await world.HandleAsync(v, seeker.Id);
                paths.AddRange([$"/api/employer/vacancies/{v}/candidates/{r}", $"/employer/vacancies/{v}/candidates/{r}"]);
            }
        }
        var all = new System.Text.StringBuilder();
        foreach (var path in paths)
        {
            var response = await employer.Client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
            all.Append(string.Join('\n', response.Headers.Concat(response.Content.Headers).Select(h => h.Key + ": " + string.Join(",", h.Value))));
            all.Append(await response.Content.ReadAsStringAsync()).Append('\n');
        }
        return all.ToString();
    }

    private static void AssertNone(string outputs, IEnumerable<string> canaries)
    {
        var found = canaries.Where(c => outputs.Contains(c, StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(found.Count == 0, "Found in employer output: " + string.Join(", ", found));
    }

    private async Task<int> ContactReadsAsync(string reference, Guid employerUserId)
    {
        await using var c = await database.DataSource.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM audit_log WHERE action = 'seeker_contact_read' AND subject = @subject AND actor_user_id = @employerUserId",
            new { subject = "seeker:" + reference, employerUserId });
    }
}
