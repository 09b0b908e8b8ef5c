using System.Net;
using Dapper;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Matching;

namespace JobMatch.Tests.Identity;

/// <summary>Signing in counts as activity for the retention job (seeker.last_active_at), and only the seeker's own row moves.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SeekerActivityTests(PostgresFixture database)
{
    [Fact]
    public async Task SeekerSignIn_UpdatesLastActiveAt_WhenItWasLongAgo()
    {
        await using var app = new JobMatchApp(database);
        var world = new MatchingWorld(database.DataSource);
        var agency = await world.AgencyAsync();
        var (seekerId, _) = await world.SeekerAsync(agency, []);
        var (otherId, _) = await world.SeekerAsync(agency, []);
        var user = await app.CreateUserAsync(Roles.JobSeeker, null);
        await using var c = await database.DataSource.OpenConnectionAsync();
        await c.ExecuteAsync("UPDATE seeker SET user_id = @userId WHERE id = @seekerId", new { userId = user.Id, seekerId });
        await c.ExecuteAsync("UPDATE seeker SET last_active_at = now() - interval '400 days' WHERE id = ANY(@ids)", new { ids = new[] { seekerId, otherId } });

        var response = await JobMatchApp.SignInAsync(app.CreatePlainClient(), user.UserName!, JobMatchApp.Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.True(await c.ExecuteScalarAsync<bool>("SELECT last_active_at > now() - interval '1 day' FROM seeker WHERE id = @seekerId", new { seekerId }));
        Assert.False(await c.ExecuteScalarAsync<bool>("SELECT last_active_at > now() - interval '1 day' FROM seeker WHERE id = @otherId", new { otherId }));
    }
}
