using System.Formats.Tar;
using Dapper;
using JobMatch.Operations;
using JobMatch.Tests.Faults;
using JobMatch.Tests.Infrastructure;
using Npgsql;

namespace JobMatch.Tests.Operations;

/// <summary>The <c>backup</c> and <c>restore</c> verbs against real PostgreSQL, run in-process as the command line runs them.</summary>
[Collection(OperationsCollection.Name)]
public sealed class BackupRestoreTests(PostgresFixture database) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("jobmatch-backup-").FullName;

    [Fact]
    public async Task Backup_LeavesOutKeysAndMessages_AndRestoreReproducesEveryRowCount()
    {
        await using var world = await FaultWorld.CreateAsync(database);
        await world.EmployerAsync();
        var source = DataFolder("source", ("notes/readme.txt", "kept"), ("keys/field-encryption.key", "SECRET-KEY"), ("mail/1.eml", "To: someone"),
            ("sms/1.txt", "+8801"), ("operator.key", "ANOTHER-KEY"));
        var file = Path.Combine(_folder, "out", "jobmatch.backup");
        var log = new StringWriter();

        var backedUp = await BackupCommand.RunAsync(["--out", file, Setting("ConnectionStrings:JobMatch", world.ConnectionString), Setting("JobMatch:DataDirectory", source)], log);

        Assert.True(backedUp == 0, log.ToString());
        var entries = await EntriesAsync(file);
        Assert.Equal([BackupManifest.EntryName, BackupManifest.DumpEntryName, "files/notes/readme.txt"], entries);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));

        var target = database.CreateDatabase("jobmatch_restore_" + Guid.NewGuid().ToString("N")[..8]);
        var restoredFolder = Path.Combine(_folder, "restored");
        var restored = await RestoreCommand.RunAsync(["--from", file, Setting("ConnectionStrings:JobMatch", target), Setting("JobMatch:DataDirectory", restoredFolder)], log);

        Assert.True(restored == 0, log.ToString());
        Assert.Equal(await CountsAsync(world.ConnectionString), await CountsAsync(target));
        Assert.Equal("kept", await File.ReadAllTextAsync(Path.Combine(restoredFolder, "notes", "readme.txt")));
        Assert.False(Directory.Exists(Path.Combine(restoredFolder, "keys")));
        Assert.Contains("Row counts match", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backup_IncludesMessageFolders_WhenAsked()
    {
        await using var world = await FaultWorld.CreateAsync(database);
        var source = DataFolder("source", ("mail/1.eml", "To: someone"), ("keys/field-encryption.key", "SECRET-KEY"));
        var file = Path.Combine(_folder, "with-mail.backup");

        var code = await BackupCommand.RunAsync(["--out", file, "--include-messages", Setting("ConnectionStrings:JobMatch", world.ConnectionString),
            Setting("JobMatch:DataDirectory", source)], TextWriter.Null);

        Assert.Equal(0, code);
        Assert.Equal([BackupManifest.EntryName, BackupManifest.DumpEntryName, "files/mail/1.eml"], await EntriesAsync(file));
    }

    [Fact]
    public async Task Restore_RefusesAndKeepsData_WhenDatabaseIsNotEmpty_UnlessForced()
    {
        await using var world = await FaultWorld.CreateAsync(database);
        var file = Path.Combine(_folder, "a.backup");
        Assert.Equal(0, await BackupCommand.RunAsync(["--out", file, Setting("ConnectionStrings:JobMatch", world.ConnectionString),
            Setting("JobMatch:DataDirectory", DataFolder("a"))], TextWriter.Null));
        await using var other = await FaultWorld.CreateAsync(database);
        var employer = await other.EmployerAsync();
        var log = new StringWriter();
        string[] args = ["--from", file, Setting("ConnectionStrings:JobMatch", other.ConnectionString), Setting("JobMatch:DataDirectory", DataFolder("b"))];

        var refused = await RestoreCommand.RunAsync(args, log);

        Assert.Equal(1, refused);
        Assert.Contains("is not empty", log.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, await other.ScalarAsync<long>("SELECT count(*) FROM organisation WHERE id = @employer", new { employer }));

        NpgsqlConnection.ClearAllPools(); // --force drops the database: no pooled connection may hold it
        var forced = await RestoreCommand.RunAsync([.. args, "--force"], log);

        Assert.True(forced == 0, log.ToString());
        Assert.Equal(await CountsAsync(world.ConnectionString), await CountsAsync(other.ConnectionString));
    }

    [Fact]
    public async Task Restore_FailsClearly_WhenFileIsNotABackup()
    {
        var file = Path.Combine(_folder, "not-a-backup");
        await File.WriteAllTextAsync(file, "hello");
        var log = new StringWriter();

        var code = await RestoreCommand.RunAsync(["--from", file, Setting("ConnectionStrings:JobMatch", database.ConnectionString)], log);

        Assert.Equal(1, code);
        Assert.Contains("not a JobMatch backup", log.ToString(), StringComparison.Ordinal);
    }

    internal static string Setting(string key, string value) => $"--{key}={value}";

    internal static async Task<IReadOnlyDictionary<string, long>> CountsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return await DatabaseSnapshot.RowCountsAsync(connection, CancellationToken.None);
    }

    internal static async Task<List<string>> EntriesAsync(string file)
    {
        await using var stream = File.OpenRead(file);
        await using var tar = new TarReader(stream);
        var names = new List<string>();
        while (await tar.GetNextEntryAsync() is { } entry) names.Add(entry.Name);
        return names;
    }

    private string DataFolder(string name, params (string Path, string Content)[] files)
    {
        var root = Path.Combine(_folder, name);
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }
        Directory.CreateDirectory(root);
        return root;
    }

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
