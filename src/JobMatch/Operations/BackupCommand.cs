using System.Data;
using System.CommandLine;
using System.Diagnostics;
using System.Formats.Tar;
using Dapper;
using JobMatch.Commands;
using JobMatch.Database;
using Npgsql;

namespace JobMatch.Operations;

/// <summary>
/// <c>backup --out FILE [--include-messages]</c>: one tar file holding a manifest, a <c>pg_dump</c> custom-format dump of
/// the database (embedded or configured) and the data folder's non-secret files. Never the key-encryption key (its
/// folder and every configured key file are left out): the key is backed up apart, with <c>export-key</c>, so a stolen
/// backup opens nothing. The mail and SMS pickup folders are left out unless <c>--include-messages</c>.
/// </summary>
internal static class BackupCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "The backup file to write.", Required = true };
        var messages = new Option<bool>("--include-messages") { Description = "Also the mail and SMS pickup folders (they hold addresses and phone numbers)." };
        var command = new Command("backup", "Writes a backup of the database and the data folder's non-secret files (never the key).") { output, messages }
            .WithSettings();
        command.SetOperatorAction(async (result, configuration, log, ct) =>
        {
            var connectionString = PostgresTools.OwnerConnectionString(configuration, log, out var embedded);
            try
            {
                await BackupAsync(configuration, connectionString, Verb.OutputPath(result.GetValue(output)!), result.GetValue(messages), log, ct);
            }
            finally
            {
                embedded?.Stop();
            }
        });
        return command;
    }

    public static Task<int> RunAsync(string[] args, TextWriter log) => OperatorCommand.RunAsync(Create(), args, log);

    public static async Task BackupAsync(IConfiguration configuration, string connectionString, string output, bool includeMessages,
        TextWriter log, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var partial = output + ".partial";
        var dump = output + ".pgdump.partial";
        try
        {
            // One snapshot for the manifest's counts and for pg_dump, so the counts describe exactly what was dumped.
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
            await connection.OpenAsync(ct);
            await using var snapshot = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
            await connection.ExecuteAsync(new CommandDefinition("SET TRANSACTION READ ONLY", transaction: snapshot, cancellationToken: ct));
            var snapshotId = await connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT pg_export_snapshot()", transaction: snapshot, cancellationToken: ct));
            var database = connection.Database;
            var migrations = await DatabaseSnapshot.MigrationsAsync(connection, ct);
            var counts = await DatabaseSnapshot.RowCountsAsync(connection, ct);
            var kekIds = await Privacy.EncryptionKeyCheck.StoredKeyIdsAsync(connection, ct);
            log.WriteLine($"Backing up database '{database}': {counts.Count} tables, {counts.Values.Sum()} rows, {migrations.Count} migrations.");

            await PostgresTools.RunAsync("pg_dump", connectionString,
                ["--format=custom", "--verbose", $"--snapshot={snapshotId}", $"--file={dump}", $"--dbname={database}"],
                line => ReportDumpProgress(line, log, clock), ct);
            await snapshot.CommitAsync(ct);

            var dataFolder = DataDirectory.Resolve(configuration);
            var files = BackupFiles.Select(configuration, dataFolder, includeMessages);
            var manifest = new BackupManifest(BackupManifest.CurrentFormat, DateTimeOffset.UtcNow, database, migrations, counts, kekIds,
                files.Select(f => f.EntryName).ToList());
            await WriteArchiveAsync(partial, manifest, dump, files, ct);
            File.Move(partial, output, overwrite: true);
            log.WriteLine($"Backup written to {output} ({new FileInfo(output).Length / 1024} KiB, {files.Count} data-folder files) in {clock.Elapsed.TotalSeconds:F1} s.");
            log.WriteLine(kekIds.Count > 0
                ? $"It needs the key-encryption key with id {string.Join(" or ", kekIds)}, which is NOT in it: keep that key (export-key) apart from this file."
                : "The database holds no encrypted data yet.");
        }
        finally
        {
            File.Delete(dump);
            File.Delete(partial);
        }
    }

    private static async Task WriteArchiveAsync(string path, BackupManifest manifest, string dump, IReadOnlyList<BackupFiles.Entry> files, CancellationToken ct)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        // The dump holds encrypted personal data and everything else in the clear: readable by its owner only.
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using var stream = new FileStream(path, options);
        await using (var tar = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            var json = manifest.ToJson();
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, BackupManifest.EntryName) { DataStream = new MemoryStream(json) }, ct);
            await tar.WriteEntryAsync(dump, BackupManifest.DumpEntryName, ct);
            foreach (var file in files) await tar.WriteEntryAsync(file.FullPath, file.EntryName, ct);
        }
        await stream.FlushAsync(ct);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>pg_dump --verbose says which table it is copying: the operator sees the long part move.</summary>
    private static void ReportDumpProgress(string line, TextWriter log, Stopwatch clock)
    {
        const string marker = "dumping contents of table ";
        var at = line.IndexOf(marker, StringComparison.Ordinal);
        if (at >= 0) log.WriteLine($"  [{clock.Elapsed.TotalSeconds,5:F1} s] {line[(at + marker.Length)..]}");
        else if (line.Contains("error", StringComparison.OrdinalIgnoreCase) || line.Contains("warning", StringComparison.OrdinalIgnoreCase)) log.WriteLine("  " + line);
    }
}
