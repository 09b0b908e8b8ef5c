using System.Net;
using System.Net.Http.Json;
using Dapper;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Seekers;

namespace JobMatch.Tests.Privacy;

/// <summary>
/// A stolen dump or disk says nothing about who is in the programme (issue 14): sign-in names live only as a blind
/// index plus ciphertext, so neither a plain pg_dump nor the cluster's data and WAL files hold a canary seeker's phone,
/// e-mail address or name, while signing in by phone or e-mail still works.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DataAtRestTests(PostgresFixture database, SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task DumpAndDataFiles_HoldNoCanary_WhenSeekersSignInByPhoneAndEmail()
    {
        var app = shared.For(database);
        var caseWorker = await SeekerApi.CaseWorkerAsync(app);
        var byPhone = SeekerApi.Canaries.New();
        var byEmail = SeekerApi.Canaries.New();
        foreach (var (seeker, useEmail) in new[] { (byPhone, false), (byEmail, true) })
        {
            var reference = await SeekerApi.RegisterAsync(caseWorker, seeker);
            Assert.Equal(HttpStatusCode.NoContent, (await caseWorker.PostAsJsonAsync($"/api/casework/seekers/{reference}/password",
                new { password = "a long seeker password", useEmail })).StatusCode);
        }

        // The look-up goes through the index: both seekers sign in with the name they were given.
        Assert.Equal(HttpStatusCode.Redirect, (await JobMatchApp.SignInAsync(app.CreatePlainClient(), byPhone.Phone, "a long seeker password")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await JobMatchApp.SignInAsync(app.CreatePlainClient(), byEmail.Email, "a long seeker password")).StatusCode);

        string[] canaries = [byPhone.Name, byPhone.Phone.Replace("+88", ""), byPhone.Email, byEmail.Name, byEmail.Phone.Replace("+88", ""), byEmail.Email];
        Assert.Empty(await DataAtRest.FindInDumpAsync(database, canaries));
        Assert.Empty(await DataAtRest.FindInDataFilesAsync(database, canaries));
    }

    [Fact]
    public async Task AuthenticatorKey_IsStoredEncrypted_AndTotpSignInStillWorks()
    {
        var app = shared.For(database);

        var (client, user) = await app.SignedInClientAsync(Roles.CaseWorker); // password + TOTP from the enrolled key

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/casework")).StatusCode);
        var key = (await TestUsers.FindAsync(app.Services, user.Id)).AuthenticatorKey!;
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var stored = await connection.ExecuteScalarAsync<string>("SELECT authenticator_key FROM app_user WHERE id = @Id", new { user.Id });
        Assert.StartsWith("v2:", stored);
        Assert.Empty(await DatabaseScan.FindAsync(database.DataSource, [key, user.UserName]));
    }
}
