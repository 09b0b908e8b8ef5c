using Dapper;
using JobMatch.Database;
using JobMatch.Tests.Infrastructure;
using Npgsql;

namespace JobMatch.Tests.Database;

[Collection(PostgresCollection.Name)]
public sealed class DatabaseMigratorTests(PostgresFixture database)
{
    [Fact]
    public async Task Migrate_AppliesEveryScriptOnce_WhenRunTwice()
    {
        var connectionString = database.CreateDatabase("migrate_twice_" + Guid.NewGuid().ToString("N")[..8]);

        DatabaseMigrator.Migrate(connectionString);
        DatabaseMigrator.Migrate(connectionString);

        await using var connection = new NpgsqlConnection(connectionString);
        var journal = (await connection.QueryAsync<string>("SELECT scriptname FROM schemaversions")).ToList();
        Assert.Equal(DatabaseMigrator.EmbeddedScripts().Count, journal.Count);
        Assert.Equal(journal.Count, journal.Distinct().Count());
    }

    [Fact]
    public async Task Migrate_Succeeds_WhenTwoMigratorsStartAtOnce()
    {
        var connectionString = database.CreateDatabase("migrate_race_" + Guid.NewGuid().ToString("N")[..8]);
        // Create the database first: CREATE DATABASE itself is not what the lock protects.
        DatabaseMigratorCreateOnly(connectionString);

        var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, 2).Select(_ => Task.Run(() => { start.Wait(); DatabaseMigrator.Migrate(connectionString); })).ToArray();
        start.Set();
        await Task.WhenAll(tasks);

        await using var connection = new NpgsqlConnection(connectionString);
        var applied = await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM schemaversions");
        Assert.Equal(DatabaseMigrator.EmbeddedScripts().Count, applied);
    }

    private static void DatabaseMigratorCreateOnly(string connectionString) =>
        DbUp.EnsureDatabase.For.PostgresqlDatabase(connectionString, new DbUp.Engine.Output.NoOpUpgradeLog());
}
