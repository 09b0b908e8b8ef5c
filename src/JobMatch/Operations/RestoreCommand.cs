using System.CommandLine;
using System.Diagnostics;
using System.Formats.Tar;
using JobMatch.Commands;
using JobMatch.Database;
using Npgsql;

namespace JobMatch.Operations;

/// <summary>
/// <c>restore --from FILE [--force]</c>: restores a <see cref="BackupCommand"/> archive into the configured database or
/// the embedded cluster of the configured data folder (created if missing). A database that already holds tables is
/// refused unless <c>--force</c>, which drops it first. After <c>pg_restore</c> the migrations this build carries are
/// applied (a backup from an older version restores into a newer one), the row counts are checked against the
/// manifest, the data-folder files are put back, and the operator is told whether the key-encryption key is in place.
/// </summary>
internal static class RestoreCommand
{
    public static Command Create()
    {
        var from = new Option<string>("--from") { Description = "The backup file to restore.", Required = true };
        var force = new Option<bool>("--force") { Description = "Drop a database that already holds tables and replace it with the backup." };
        var command = new Command("restore", "Restores a backup into an empty database (the embedded cluster of the data folder, or the configured one).")
            { from, force }.WithSettings();
        command.SetOperatorAction(async (result, configuration, log, ct) =>
        {
            var input = Verb.InputPath(result.GetValue(from)!);
            if (!File.Exists(input)) throw new OperatorException($"No backup file at {input}.");
            await ReadManifestAsync(input, ct); // a wrong file fails here, before a cluster is created for it
            var connectionString = PostgresTools.OwnerConnectionString(configuration, log, out var embedded);
            try
            {
                await RestoreAsync(configuration, connectionString, input, result.GetValue(force), log, ct);
            }
            finally
            {
                embedded?.Stop();
            }
        });
        return command;
    }

    public static Task<int> RunAsync(string[] args, TextWriter log) => OperatorCommand.RunAsync(Create(), args, log);

    public static async Task RestoreAsync(IConfiguration configuration, string connectionString, string input, bool force, TextWriter log,
        CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await using var stream = File.OpenRead(input);
        await using var tar = new TarReader(stream);
        var manifest = await ReadManifestAsync(tar, input, ct);
        log.WriteLine($"Backup of '{manifest.Database}' taken {manifest.CreatedAt:u}: {manifest.RowCounts.Count} tables, " +
            $"{manifest.RowCounts.Values.Sum()} rows, {manifest.Migrations.Count} migrations, {manifest.Files.Count} data-folder files.");

        var database = new NpgsqlConnectionStringBuilder(connectionString).Database
            ?? throw new OperatorException("The connection string names no database.");
        await PrepareEmptyDatabaseAsync(connectionString, database, force, log, ct);

        var dumpEntry = await tar.GetNextEntryAsync(copyData: false, ct);
        if (dumpEntry?.Name != BackupManifest.DumpEntryName || dumpEntry.DataStream is null) throw new OperatorException("The backup holds no database dump.");
        log.WriteLine($"Restoring into database '{database}'...");
        // No owners and no grants from the source: objects belong to the role restoring them, and the migrator below
        // sets up this server's roles and grants, which need not match the source server's. --clean --if-exists: a new
        // embedded cluster already has the (empty) schemas its roles are granted on; the dump's own replace them.
        await PostgresTools.RunAsync("pg_restore",
            connectionString, ["--no-owner", "--no-privileges", "--clean", "--if-exists", "--exit-on-error", "--verbose", $"--dbname={database}"],
            line => ReportRestoreProgress(line, log, clock), ct, dumpEntry.DataStream);

        DatabaseMigrator.Migrate(connectionString, log);
        await CheckRowCountsAsync(connectionString, manifest, log, ct);

        var dataFolder = DataDirectory.Resolve(configuration);
        var restored = 0;
        while (await tar.GetNextEntryAsync(copyData: false, ct) is { } entry)
        {
            if (entry.EntryType != TarEntryType.RegularFile || !entry.Name.StartsWith(BackupManifest.FilesPrefix, StringComparison.Ordinal)) continue;
            var target = Path.GetFullPath(Path.Combine(dataFolder, entry.Name[BackupManifest.FilesPrefix.Length..]));
            // A crafted archive must not write outside the data folder.
            if (!target.StartsWith(dataFolder + Path.DirectorySeparatorChar, StringComparison.Ordinal)) throw new OperatorException($"Refusing archive path {entry.Name}.");
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await entry.ExtractToFileAsync(target, overwrite: true, ct);
            restored++;
        }
        log.WriteLine($"Restored {restored} data-folder files into {dataFolder}. Done in {clock.Elapsed.TotalSeconds:F1} s.");

        await using var db = NpgsqlDataSource.Create(connectionString);
        await using var connection = await db.OpenConnectionAsync(ct);
        log.WriteLine(await Privacy.EncryptionKeyCheck.ProblemAsync(connection, configuration, ct) is { } problem
            ? "Before starting JobMatch on it: " + problem
            : "The configured key-encryption key opens this database's data keys: JobMatch can start on it.");
    }

    private static async Task<BackupManifest> ReadManifestAsync(string input, CancellationToken ct)
    {
        await using var stream = File.OpenRead(input);
        await using var tar = new TarReader(stream);
        return await ReadManifestAsync(tar, input, ct);
    }

    private static async Task<BackupManifest> ReadManifestAsync(TarReader tar, string input, CancellationToken ct)
    {
        try
        {
            var entry = await tar.GetNextEntryAsync(copyData: false, ct);
            if (entry?.Name == BackupManifest.EntryName && entry.DataStream is not null) return BackupManifest.FromJson(entry.DataStream);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or System.Text.Json.JsonException)
        {
        }
        throw new OperatorException($"{input} is not a JobMatch backup (it does not start with {BackupManifest.EntryName}).");
    }

    private static async Task PrepareEmptyDatabaseAsync(string connectionString, string database, bool force, TextWriter log, CancellationToken ct)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        await using var maintenance = new NpgsqlConnection(PostgresTools.Maintenance(connectionString));
        await maintenance.OpenAsync(ct);
        var quoted = "\"" + database.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        await using (var exists = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = @database)", maintenance))
        {
            exists.Parameters.AddWithValue("database", database);
            if ((bool)(await exists.ExecuteScalarAsync(ct))!)
            {
                bool hasTables;
                await using (var existing = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString))
                {
                    await existing.OpenAsync(ct);
                    hasTables = await DatabaseSnapshot.HasTablesAsync(existing, ct);
                }
                if (!hasTables) return;
                if (!force)
                {
                    throw new OperatorException($"Database '{database}' on {target.Host}:{target.Port} is not empty. Restore into an empty " +
                        "database (another data folder, or a new database name), or pass --force to DROP it and replace it with the backup.");
                }
                log.WriteLine($"--force: dropping database '{database}'.");
                await using var drop = new NpgsqlCommand($"DROP DATABASE {quoted} WITH (FORCE)", maintenance);
                await drop.ExecuteNonQueryAsync(ct);
            }
        }
        await using var create = new NpgsqlCommand($"CREATE DATABASE {quoted}", maintenance);
        await create.ExecuteNonQueryAsync(ct);
    }

    private static async Task CheckRowCountsAsync(string connectionString, BackupManifest manifest, TextWriter log, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(ct);
        if (!(await DatabaseSnapshot.MigrationsAsync(connection, ct)).SequenceEqual(manifest.Migrations))
        {
            log.WriteLine("Newer migrations were applied after the restore; row counts are not compared.");
            return;
        }
        var counts = await DatabaseSnapshot.RowCountsAsync(connection, ct);
        var different = manifest.RowCounts.Where(m => counts.GetValueOrDefault(m.Key, -1) != m.Value).Select(m => $"{m.Key} {counts.GetValueOrDefault(m.Key, -1)} (backup {m.Value})").ToList();
        if (different.Count > 0) throw new OperatorException("Row counts differ from the backup's: " + string.Join(", ", different));
        log.WriteLine($"Row counts match the backup's in all {counts.Count} tables.");
    }

    private static void ReportRestoreProgress(string line, TextWriter log, Stopwatch clock)
    {
        const string marker = "processing data for table ";
        var at = line.IndexOf(marker, StringComparison.Ordinal);
        if (at >= 0) log.WriteLine($"  [{clock.Elapsed.TotalSeconds,5:F1} s] {line[(at + marker.Length)..]}");
        else if (line.Contains("error", StringComparison.OrdinalIgnoreCase) || line.Contains("warning", StringComparison.OrdinalIgnoreCase)) log.WriteLine("  " + line);
    }
}
