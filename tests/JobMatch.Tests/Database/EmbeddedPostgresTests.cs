using JobMatch.Database;
using Npgsql;

namespace JobMatch.Tests.Database;

public sealed class EmbeddedPostgresTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "jobmatch-embedded-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task Start_CreatesClusterThatAcceptsConnections_WhenFolderIsEmpty()
    {
        using var cluster = EmbeddedPostgres.Start(_root, durable: false);

        Assert.True(cluster.StartedHere);
        Assert.True(File.Exists(Path.Combine(cluster.DataDirectory, "PG_VERSION")));
        Assert.Equal(1, await ScalarAsync<int>(cluster, "SELECT 1"));
    }

    [Fact]
    public async Task Start_ReusesDataAndStopStopsServer_WhenStartedAgain()
    {
        using (var first = EmbeddedPostgres.Start(_root, durable: false))
        {
            await ScalarAsync<int>(first, "CREATE TABLE kept (v int); INSERT INTO kept VALUES (42); SELECT 1");
            first.Stop();
            Assert.False(File.Exists(Path.Combine(first.DataDirectory, "postmaster.pid")));
            await Assert.ThrowsAnyAsync<Exception>(() => ScalarAsync<int>(first, "SELECT 1"));
        }

        using var second = EmbeddedPostgres.Start(_root, durable: false);
        Assert.Equal(42, await ScalarAsync<int>(second, "SELECT v FROM kept"));
    }

    [Fact]
    public async Task Start_AttachesToRunningCluster_WhenAnotherProcessRunsIt()
    {
        using var first = EmbeddedPostgres.Start(_root, durable: false);
        using var second = EmbeddedPostgres.Start(_root, durable: false);

        Assert.False(second.StartedHere);
        Assert.Equal(first.Port, second.Port);
        second.Stop(); // not ours: must leave the server running
        Assert.Equal(1, await ScalarAsync<int>(first, "SELECT 1"));
    }

    [Fact]
    public async Task Start_Succeeds_WhenStalePostmasterPidIsLeftBehind()
    {
        using (var first = EmbeddedPostgres.Start(_root, durable: false))
        {
            first.StopImmediately();
        }
        // A crash leaves a pid file whose PID may now belong to another process (here: PID 1).
        var pidFile = Path.Combine(_root, "pgdata", "postmaster.pid");
        File.WriteAllLines(pidFile, ["1", Path.Combine(_root, "pgdata"), "0", "5999", "", "127.0.0.1", "0 0", "ready"]);
        if (Environment.UserName == "root") System.Diagnostics.Process.Start("chown", ["postgres", pidFile])!.WaitForExit();

        using var second = EmbeddedPostgres.Start(_root, durable: false);
        Assert.Equal(1, await ScalarAsync<int>(second, "SELECT 1"));
    }

    [Fact]
    public void MissingBinariesMessage_SaysWhatToInstallAndWhichSettingToGive()
    {
        Assert.Contains("apt-get install postgresql", EmbeddedPostgres.MissingBinariesMessage);
        Assert.Contains("ConnectionStrings:JobMatch", EmbeddedPostgres.MissingBinariesMessage);
    }

    private static async Task<T> ScalarAsync<T>(EmbeddedPostgres cluster, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(cluster.ConnectionString("postgres")) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public void Dispose()
    {
        try
        {
            using var cleanup = EmbeddedPostgres.Start(_root, durable: false);
            cleanup.Stop(force: true);
        }
        catch (InvalidOperationException) { }
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
