using System.Text.Json;
using JobMatch.Database;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace JobMatch.Tests.Security;

/// <summary>R29: the app refuses a server that can lose committed data, and reports data checksums.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DurabilityTests(PostgresFixture database)
{
    [Theory]
    [InlineData("on", "on", "on", null)]
    [InlineData("on", "local", "on", null)]
    [InlineData("on", "remote_write", "on", null)]
    [InlineData("on", "remote_apply", "on", null)]
    [InlineData("off", "on", "on", "fsync")]
    [InlineData("on", "off", "on", "synchronous_commit")]
    [InlineData("on", "on", "off", "full_page_writes")]
    public void Problems_NameEachUnsafeSetting(string fsync, string synchronousCommit, string fullPageWrites, string? expected)
    {
        var problems = DurabilityCheck.Problems(fsync, synchronousCommit, fullPageWrites);

        if (expected is null) Assert.Empty(problems);
        else Assert.StartsWith(expected, Assert.Single(problems));
    }

    [Fact]
    public void Problems_ListAllThree_WhenAllAreOff() =>
        Assert.Equal(3, DurabilityCheck.Problems("off", "off", "off").Count);

    [Fact]
    public async Task App_RefusesToStart_AgainstTheTestClusterWithoutTheTestFlag()
    {
        var settings = await DurabilityCheck.ReadAsync(database.ConnectionString, CancellationToken.None);
        Assert.Equal("off", settings.Fsync); // the test cluster trades durability for speed; that is what is refused

        await using var app = new JobMatchApp(database, new Dictionary<string, string?> { ["Database:AllowUnsafeDurability"] = "false" });
        var error = Assert.ThrowsAny<Exception>(() => app.Services);

        var message = error.GetBaseException().Message;
        Assert.Contains("refuses to start", message);
        Assert.Contains("fsync is 'off'", message);
        Assert.Contains("synchronous_commit is 'off'", message);
        Assert.DoesNotContain("Password", message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Ready_ReportsDataChecksumsAndDurabilitySettings()
    {
        await using var app = new JobMatchApp(database);
        var (client, _) = await app.SignedInClientAsync(Roles.Admin); // descriptions are for operators only

        using var json = JsonDocument.Parse(await client.GetStringAsync("/health/ready"));
        var durability = json.RootElement.GetProperty("checks").GetProperty("durability");

        Assert.Equal("Healthy", durability.GetProperty("status").GetString());
        Assert.Matches("data_checksums=(on|off)", durability.GetProperty("description").GetString());
    }

    [Fact]
    public async Task EmbeddedClusterForRealUse_HasChecksumsAndPassesTheCheck()
    {
        var root = Path.Combine(Path.GetTempPath(), "jobmatch-durable-" + Guid.NewGuid().ToString("N")[..8]);
        var cluster = EmbeddedPostgres.Start(root, durable: true);
        try
        {
            var connectionString = cluster.ConnectionString("postgres");
            var settings = await DurabilityCheck.EnsureAsync(connectionString, allowUnsafe: false, NullLogger.Instance, CancellationToken.None);

            Assert.Equal("on", settings.DataChecksums);
            Assert.Equal("on", settings.Fsync);
            Assert.Equal("on", settings.SynchronousCommit);
            Assert.Equal("on", settings.FullPageWrites);
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            cluster.Stop();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
