using Dapper;
using JobMatch.Tests.Infrastructure;
using Npgsql;

namespace JobMatch.Tests.Seekers;

[Collection(PostgresCollection.Name)]
public sealed class DemoSeekersTests(PostgresFixture database)
{
    [Fact]
    public async Task DemoMode_CreatesFakeSeekersWithSkillsConsentAndOneSignIn()
    {
        var connectionString = database.CreateDatabase("jobmatch_demo_" + Guid.NewGuid().ToString("N")[..8]);
        await using var app = new JobMatchApp(database, new Dictionary<string, string?>
        {
            ["ConnectionStrings:JobMatch"] = connectionString,
            ["Demo:Enabled"] = "true",
        });
        _ = app.Services; // start-up runs migrations, reference data and demo mode

        await using var db = NpgsqlDataSource.Create(connectionString);
        await using var connection = await db.OpenConnectionAsync();
        var row = await connection.QuerySingleAsync<(long Seekers, long Matchable, long WithSkills, long WithSignIn, long Trainees)>(
            """
            SELECT (SELECT count(*) FROM seeker), (SELECT count(*) FROM matchable_seeker),
                   (SELECT count(*) FROM seeker WHERE cardinality(skill_ids) > 0), (SELECT count(*) FROM seeker WHERE user_id IS NOT NULL),
                   (SELECT count(*) FROM enrolment)
            """);
        Assert.Equal((5L, 5L, 5L, 1L, 4L), row);
        await using var scope = app.Services.CreateAsyncScope();
        var signIn = await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<JobMatch.Identity.AppUser>>()
            .FindByNameAsync(JobMatch.Demo.DemoSeekers.SignInName);
        Assert.Equal(JobMatch.Identity.Roles.JobSeeker, signIn?.Role);

        // Issue 17: two agencies and two providers, each with its own staff and its own seekers or trainees.
        var partners = (await connection.QueryAsync<(string Kind, Guid Id, long Staff, long Seekers, long Trainees)>(
            """
            SELECT o.kind, o.id, (SELECT count(*) FROM app_user u WHERE u.organisation_id = o.id),
                   (SELECT count(*) FROM seeker s WHERE s.agency_id = o.id), (SELECT count(*) FROM enrolment e WHERE e.provider_id = o.id)
            FROM organisation o WHERE o.kind IN ('case_agency', 'training_provider') ORDER BY o.kind, o.name
            """)).ToList();
        Assert.Equal(2, partners.Count(p => p.Kind == "case_agency" && p.Staff > 0 && p.Seekers > 0));
        Assert.Equal(2, partners.Count(p => p.Kind == "training_provider" && p.Staff > 0 && p.Trainees > 0));
        // Issue 16: every demo wage job obeys its sector's floor; the NASCIB member offers self-employment places.
        var vacancies = (await connection.QueryAsync<(string Kind, string Membership, bool BelowFloor)>(
            """
            SELECT v.kind, o.membership, v.wage_min_bdt < f.min_monthly_wage_bdt
            FROM vacancy v JOIN organisation o ON o.id = v.employer_id JOIN sector f ON f.code = v.sector_code
            WHERE v.status = 'open'
            """)).ToList();
        Assert.DoesNotContain(vacancies, v => v.Kind != "self" && v.BelowFloor);
        Assert.Equal(2, vacancies.Count(v => v.Kind == "self" && v.Membership == "nascib"));

        // A case worker of one agency sees none of the other agency's seekers, on the page or through the API.
        var agencies = partners.Where(p => p.Kind == "case_agency").Select(p => p.Id).ToList();
        var references = (await connection.QueryAsync<(Guid Agency, string Reference)>("SELECT agency_id, reference FROM seeker")).ToList();
        var (worker, _) = await app.SignedInClientAsync(JobMatch.Identity.Roles.CaseWorker, agencies[0]);
        var caseload = await worker.GetStringAsync("/casework");
        var api = await worker.GetStringAsync("/api/casework/seekers/");
        foreach (var (agency, reference) in references)
        {
            var own = agency == agencies[0];
            Assert.Equal(own, caseload.Contains(reference, StringComparison.Ordinal));
            Assert.Equal(own, api.Contains(reference, StringComparison.Ordinal));
            Assert.Equal(own ? System.Net.HttpStatusCode.OK : System.Net.HttpStatusCode.NotFound,
                (await worker.GetAsync($"/api/casework/seekers/{reference}")).StatusCode);
        }
    }
}
