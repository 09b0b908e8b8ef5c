using System.Net;
using System.Text.Json;
using JobMatch.Identity;
using JobMatch.Privacy;
using JobMatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace JobMatch.Tests.Operations;

/// <summary><c>/health/ready</c> names the failing part and what to do, to operators only.</summary>
[Collection(PostgresCollection.Name)]
public sealed class HealthDetailsTests(PostgresFixture database)
{
    private const string Token = "operator-token-for-tests-0123456789abcdef";

    [Fact]
    public async Task Ready_NamesKeyRingAndAction_ForOperator_WhenKeyDoesNotOpenDataKeys()
    {
        // A database of its own: the rewrapped keys must not reach the shared one. A node with the wrong key does not
        // start at all (KeyRingCheck, StartupChecks); what a running node can meet is another node rotating to a
        // key-encryption key it was not given, which the readiness check must name.
        var own = database.CreateDatabase("jobmatch_health_" + Guid.NewGuid().ToString("N")[..8]);
        await using var app = new JobMatchApp(database, new Dictionary<string, string?>
        {
            ["ConnectionStrings:JobMatch"] = own,
            ["Operations:Token"] = Token,
        });
        await app.Services.GetRequiredService<FieldEncryption>().RingAsync(CancellationToken.None); // data keys exist under the usual key
        await using (var rotated = new Npgsql.NpgsqlConnection(own))
        {
            await rotated.OpenAsync();
            await new Npgsql.NpgsqlCommand("UPDATE encryption_key SET kek_id = 'feedface'", rotated).ExecuteNonQueryAsync();
        }
        using var anonymous = app.CreatePlainClient();
        using var monitor = app.CreatePlainClient();
        monitor.DefaultRequestHeaders.Authorization = new("Bearer", Token);

        var (status, json) = await ReadyAsync(monitor);
        var (anonymousStatus, anonymousJson) = await ReadyAsync(anonymous);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("keyring", json.GetProperty("failing").EnumerateArray().Select(e => e.GetString()));
        var keyring = json.GetProperty("checks").GetProperty("keyring");
        Assert.Equal("Unhealthy", keyring.GetProperty("status").GetString());
        Assert.Contains("wrapped under", keyring.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("key file", keyring.GetProperty("action").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("checks").GetProperty("database").GetProperty("action").ValueKind);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, anonymousStatus);
        Assert.Equal("Unhealthy", anonymousJson.GetProperty("checks").GetProperty("keyring").GetProperty("status").GetString());
        Assert.False(anonymousJson.TryGetProperty("failing", out _));
        Assert.False(anonymousJson.GetProperty("checks").GetProperty("keyring").TryGetProperty("description", out _));
    }

    [Fact]
    public async Task Ready_ShowsDetailsToAdmin_ButNotToWrongTokenOrOtherRoles()
    {
        await using var app = new JobMatchApp(database, new Dictionary<string, string?> { ["Operations:Token"] = Token });
        var (admin, _) = await app.SignedInClientAsync(Roles.Admin);
        var (employer, _) = await app.SignedInClientAsync(Roles.Employer);
        using var wrongToken = app.CreatePlainClient();
        wrongToken.DefaultRequestHeaders.Authorization = new("Bearer", Token + "x");

        var (_, adminJson) = await ReadyAsync(admin);
        var (_, employerJson) = await ReadyAsync(employer);
        var (_, wrongJson) = await ReadyAsync(wrongToken);

        Assert.Equal(["database", "durability", "keyring", "migrations"],
            adminJson.GetProperty("checks").EnumerateObject().Select(c => c.Name).Intersect(["database", "migrations", "keyring", "durability"]).Order());
        Assert.True(adminJson.GetProperty("checks").GetProperty("migrations").TryGetProperty("description", out _));
        Assert.False(employerJson.TryGetProperty("failing", out _));
        Assert.False(wrongJson.TryGetProperty("failing", out _));
    }

    private static async Task<(HttpStatusCode, JsonElement)> ReadyAsync(HttpClient client)
    {
        var response = await client.GetAsync("/health/ready");
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}
