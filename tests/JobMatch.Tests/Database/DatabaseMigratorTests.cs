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

    /// <summary>
    /// Every host start migrates; DbUp's own EnsureDatabase left one connection to the maintenance database open per
    /// call, and a full test run reached the server's max_connections ("too many clients already") with it.
    /// </summary>
    [Fact]
    public async Task Migrate_LeavesNoConnectionOpen_WhenCreatingAndWhenTheDatabaseExists()
    {
        var name = "migrate_leak_" + Guid.NewGuid().ToString("N")[..8];
        var connectionString = database.CreateDatabase(name);

        for (var i = 0; i < 3; i++) DatabaseMigrator.Migrate(connectionString);

        // A connection to the maintenance database shows its last statement (the check for this database); none may
        // still be open. (DbUp's own pooled connections to the new database are reused, one pool per connection string.)
        var open = await ScalarAsync<long>(database.DataSource,
            "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND datname = 'postgres' AND query LIKE '%' || @name || '%'", new { name });
        Assert.Equal(0, open);
    }

    private static void DatabaseMigratorCreateOnly(string connectionString) => DatabaseMigrator.EnsureDatabase(connectionString);

    private static async Task<T?> ScalarAsync<T>(NpgsqlDataSource db, string sql, object parameters)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<T>(sql, parameters);
    }
}
