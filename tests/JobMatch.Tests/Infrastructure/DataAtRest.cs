using System.Diagnostics;
using System.Text;
using JobMatch.Database;
using Npgsql;

namespace JobMatch.Tests.Infrastructure;

/// <summary>
/// What a thief with a copy of the data would read: a plain <c>pg_dump</c> of the test database, and the bytes of the
/// test cluster's data files (<c>base</c> and <c>pg_wal</c>) after a CHECKPOINT. Reports which needles appear, as
/// written, upper-cased (Identity normalises names that way) and lower-cased.
/// </summary>
internal static class DataAtRest
{
    public static async Task<List<string>> FindInDumpAsync(PostgresFixture database, IReadOnlyCollection<string> needles)
    {
        var bin = EmbeddedPostgres.FindBinDirectory() ?? throw new InvalidOperationException(EmbeddedPostgres.MissingBinariesMessage);
        var cs = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        var info = new ProcessStartInfo(Path.Combine(bin, "pg_dump"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--format=plain", "--no-owner", "-h", cs.Host!, "-p", cs.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", cs.Username!, cs.Database! })
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["PGPASSWORD"] = cs.Password ?? "";
        using var process = Process.Start(info) ?? throw new InvalidOperationException("pg_dump did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        var dump = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, "pg_dump failed: " + await stderr);
        Assert.Contains("casefile.case_file", dump);
        return Variants(needles).Where(n => dump.Contains(n, StringComparison.Ordinal)).Select(n => "dump: " + n).Distinct().ToList();
    }

    /// <summary>CHECKPOINT, then a byte search of every file under the cluster's <c>base</c> and <c>pg_wal</c> folders.</summary>
    public static async Task<List<string>> FindInDataFilesAsync(PostgresFixture database, IReadOnlyCollection<string> needles)
    {
        var cluster = database.Cluster
            ?? throw new InvalidOperationException("This test reads the test cluster's files: run it without JOBMATCH_TEST_DB.");
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        {
            await using var checkpoint = new NpgsqlCommand("CHECKPOINT", connection);
            await checkpoint.ExecuteNonQueryAsync();
        }
        var patterns = Variants(needles).Select(n => (Text: n, Bytes: Encoding.UTF8.GetBytes(n))).ToList();
        var hits = new List<string>();
        var files = new[] { "base", "pg_wal" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(cluster.DataDirectory, folder), "*", SearchOption.AllDirectories));
        foreach (var file in files)
        {
            byte[] bytes;
            try { bytes = await File.ReadAllBytesAsync(file); }
            catch (IOException) { continue; } // a temporary file the server removed meanwhile
            hits.AddRange(patterns.Where(p => bytes.AsSpan().IndexOf(p.Bytes) >= 0).Select(p => $"{Path.GetRelativePath(cluster.DataDirectory, file)}: {p.Text}"));
        }
        return hits;
    }

    private static IEnumerable<string> Variants(IEnumerable<string> needles) =>
        needles.Where(n => n.Length > 0).SelectMany(n => new[] { n, n.ToUpperInvariant(), n.ToLowerInvariant() }).Distinct();
}
