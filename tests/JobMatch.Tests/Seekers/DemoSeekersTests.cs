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
        Assert.Equal((3L, 3L, 3L, 1L, 2L), row);
        await using var scope = app.Services.CreateAsyncScope();
        var signIn = await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<JobMatch.Identity.AppUser>>()
            .FindByNameAsync(JobMatch.Seekers.DemoSeekers.SignInName);
        Assert.Equal(JobMatch.Identity.Roles.JobSeeker, signIn?.Role);
    }
}
