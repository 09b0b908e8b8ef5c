using System.Net;
using System.Net.Http.Json;
using System.Text;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using JobMatch.BackgroundJobs;
using JobMatch.Database;
using JobMatch.Identity;
using JobMatch.Operations;
using JobMatch.Tests.Faults;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Matching;
using Npgsql;
using Xunit.Abstractions;

namespace JobMatch.Tests.Operations;

/// <summary>
/// The restore drill (security.md F12): data with canary seekers, a backup, a restore into a fresh embedded cluster in
/// another data folder, and the app started on it as a real process: first without the right key (a clear refusal,
/// nothing written), then with it (row counts, decryption, sign-in, Hangfire picking up where it stopped).
/// </summary>
[Collection(OperationsCollection.Name)]
public sealed class RestoreDrillTests(PostgresFixture database, ITestOutputHelper output) : IDisposable
{
    private readonly string _folder = Folder();
    // The world's data keys are wrapped under the run's one key-encryption key (F10), so the drill's installation has it.
    private readonly string _kek = AppProcess.SharedKek;

    [Fact]
    public async Task RestoredBackup_ServesSameDataAndResumesJobs_AndRefusesToStartWithoutItsKey()
    {
        await using var world = await FaultWorld.CreateAsync(database);
        var builder = new MatchingWorld(world.Db);
        var agency = await builder.AgencyAsync(requiresReview: false);
        var (_, caseWorker) = await world.UserAsync(Roles.CaseWorker, agency);
        var employerId = await world.EmployerAsync();
        var (_, employer) = await world.UserAsync(Roles.Employer, employerId);
        for (var i = 0; i < 3; i++) await builder.SeekerAsync(agency, [("GAR-001", 3)]);
        var canaries = Enumerable.Range(0, 2).Select(_ => Canary.Create()).ToList();
        var settings = world.AppSettings(extra: AppExtras(_kek));

        // Before the backup: canary seekers registered through the API, one vacancy proposed by a finished job.
        var first = await builder.VacancyAsync(employerId, ("GAR-001", 1, true));
        var references = new List<string>();
        await using (var app = await AppProcess.StartAsync(settings, output))
        {
            using var client = await SignInAsync(app, caseWorker);
            foreach (var canary in canaries) references.Add(await RegisterAsync(client, canary));
            await world.ScalarAsync<long>("INSERT INTO vacancy_event (kind, vacancy_id, employer_id) VALUES ('published', @first, @employerId) RETURNING id",
                new { first, employerId });
            // The builder's own 'published' event and this one may be taken in one batch or two: wait until every
            // proposal job of the vacancy has succeeded and no event is left, so that nothing of it is in flight.
            await FaultWorld.WaitUntilAsync(async () => await ProposalRunsAsync(world.Db, first) is { Succeeded: > 0 } runs && runs.Succeeded == runs.Jobs
                    && await world.ScalarAsync<long>("SELECT count(*) FROM vacancy_event WHERE processed_at IS NULL") == 0,
                TimeSpan.FromSeconds(60), "the first vacancy's proposal jobs succeeded", app);
        }
        // A job enqueued while no worker runs: the restored installation must run it.
        var second = await builder.VacancyAsync(employerId, ("GAR-001", 1, true));
        // Hangfire's static log provider may belong to an in-process host another test has disposed.
        Hangfire.Logging.LogProvider.SetCurrentLogProvider(new SilentLogProvider());
        var storageOptions = new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = false };
        new BackgroundJobClient(new PostgreSqlStorage(new NpgsqlConnectionFactory(world.ConnectionString, storageOptions), storageOptions))
            .Enqueue<ProposeMatchesForVacancy>(job => job.RunAsync(second, CancellationToken.None));

        var backup = Path.Combine(_folder, "jobmatch.backup");
        var log = new StringWriter();
        Assert.True(await BackupCommand.RunAsync(["--out", backup, BackupRestoreTests.Setting("ConnectionStrings:JobMatch", world.ConnectionString),
            BackupRestoreTests.Setting("JobMatch:DataDirectory", Path.Combine(_folder, "source"))], log) == 0, log.ToString());
        var sourceCounts = await BackupRestoreTests.CountsAsync(world.ConnectionString);
        var firstRuns = await ProposalRunsAsync(world.Db, first);
        AssertNoIdentityInClear(backup, canaries, control: references[0]);

        var restoredFolder = Path.Combine(_folder, "restored");
        Assert.True(await RestoreCommand.RunAsync(["--from", backup, BackupRestoreTests.Setting("JobMatch:DataDirectory", restoredFolder)], log) == 0, log.ToString());
        output.WriteLine(log.ToString());
        using var cluster = EmbeddedPostgres.Start(Path.Combine(restoredFolder, "postgres"));
        var restored = cluster.ConnectionString("jobmatch");
        Assert.Equal(sourceCounts, await BackupRestoreTests.CountsAsync(restored));

        var onRestored = new Dictionary<string, string>(settings) { ["JobMatch:DataDirectory"] = restoredFolder };
        onRestored.Remove("ConnectionStrings:JobMatch"); // the embedded cluster of the restored data folder
        onRestored.Remove("Database:AllowUnsafeDurability");

        // Without its key: one clear refusal (exit 78, which the systemd units do not restart on), and nothing written.
        var refusal = await Assert.ThrowsAsync<InvalidOperationException>(() => AppProcess.StartAsync(
            new Dictionary<string, string>(onRestored) { ["Encryption:Key"] = Convert.ToBase64String(new byte[32]) }, output));
        output.WriteLine(refusal.Message);
        Assert.Contains($"exited with {StartupChecks.ExitCode}", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("data keys are wrapped under", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(sourceCounts["public.encryption_key"], (await BackupRestoreTests.CountsAsync(restored))["public.encryption_key"]);

        // With it: the same people, the same sign-ins, and Hangfire carries on where it stopped.
        await using (var app = await AppProcess.StartAsync(onRestored, output))
        {
            using var client = await SignInAsync(app, caseWorker);
            for (var i = 0; i < canaries.Count; i++)
            {
                var detail = await client.GetStringAsync($"/api/casework/seekers/{references[i]}");
                Assert.Contains(canaries[i].FullName, detail, StringComparison.Ordinal);
                Assert.Contains(canaries[i].Address, detail, StringComparison.Ordinal);
            }
            using var employerClient = await SignInAsync(app, employer);
            await using var db = NpgsqlDataSource.Create(restored);
            await FaultWorld.WaitUntilAsync(async () => await ProposalRunsAsync(db, second) is { Succeeded: 1 },
                TimeSpan.FromSeconds(60), "the job enqueued before the backup ran on the restored installation", app);
            Assert.Equal(firstRuns, await ProposalRunsAsync(db, first)); // finished before the backup: not run again
        }
    }

    /// <summary>A temporary folder the postgres user can traverse (as root, the embedded cluster runs as that user).</summary>
    private static string Folder()
    {
        var folder = Directory.CreateTempSubdirectory("jobmatch-drill-").FullName;
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        return folder;
    }

    private static Dictionary<string, string> AppExtras(string kek) => new()
    {
        ["Encryption:Key"] = kek,
        ["Security:RequireStaffTwoFactor"] = "false",
    };

    /// <summary>
    /// The backup file, raw and as the SQL pg_restore makes of it, holds no canary identity; the control (a seeker
    /// reference, stored in clear by design) is found, so the search itself works.
    /// </summary>
    private void AssertNoIdentityInClear(string backup, IReadOnlyList<Canary> canaries, string control)
    {
        var raw = File.ReadAllBytes(backup);
        var sql = PlainSql(backup);
        Assert.Contains(control, sql, StringComparison.Ordinal);
        foreach (var value in canaries.SelectMany(c => c.Values))
        {
            Assert.DoesNotContain(value, sql, StringComparison.OrdinalIgnoreCase);
            Assert.True(raw.AsSpan().IndexOf(Encoding.UTF8.GetBytes(value)) < 0, $"'{value}' is in the backup file in clear");
        }
        output.WriteLine($"backup: {raw.Length} bytes, {sql.Length} characters of SQL; {canaries.Count} canary seekers, none in clear");
    }

    /// <summary>The dump inside the backup as plain SQL (pg_restore --file=-): what anyone holding the file can read.</summary>
    private static string PlainSql(string backup)
    {
        using var stream = File.OpenRead(backup);
        using var tar = new System.Formats.Tar.TarReader(stream);
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.Name != BackupManifest.DumpEntryName) continue;
            var info = new System.Diagnostics.ProcessStartInfo(Path.Combine(EmbeddedPostgres.FindBinDirectory()!, "pg_restore"), ["--file=-"])
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            using var process = System.Diagnostics.Process.Start(info)!;
            var text = process.StandardOutput.ReadToEndAsync();
            entry.DataStream!.CopyTo(process.StandardInput.BaseStream);
            process.StandardInput.Close();
            process.WaitForExit();
            return text.Result;
        }
        throw new InvalidOperationException("no dump in the backup");
    }

    private static async Task<HttpClient> SignInAsync(AppProcess app, string userName)
    {
        var client = app.CreateClient();
        var response = await JobMatchApp.SignInAsync(client, userName, JobMatchApp.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await JobMatchApp.UseApiTokenAsync(client);
        return client;
    }

    private static async Task<string> RegisterAsync(HttpClient client, Canary canary)
    {
        var response = await client.PostAsJsonAsync("/api/casework/seekers", new
        {
            fullName = canary.FullName, phone = canary.Phone, email = canary.Email, address = canary.Address,
            dateOfBirth = "1994-03-17", matchingConsentMethod = "in_person",
            profile = new { wants = "wage", upazilaCode = "coxs_bazar_sadar" },
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<Dictionary<string, string>>())!["reference"];
    }

    private sealed record ProposalRuns(long Jobs, long Succeeded, long Processing);

    /// <summary>How often a worker started the proposal job of one vacancy (Processing states), and whether it succeeded.</summary>
    private static async Task<ProposalRuns> ProposalRunsAsync(NpgsqlDataSource db, long vacancyId)
    {
        await using var c = await db.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT count(*), count(*) FILTER (WHERE j.statename = 'Succeeded'),
                   coalesce(sum((SELECT count(*) FROM hangfire.state s WHERE s.jobid = j.id AND s.name = 'Processing')), 0)
            FROM hangfire.job j
            WHERE j.invocationdata::text LIKE '%ProposeMatchesForVacancy%' AND (j.arguments::jsonb ->> 0) = @vacancy
            """, c);
        command.Parameters.AddWithValue("vacancy", vacancyId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new ProposalRuns(reader.GetInt64(0), reader.GetInt64(1), Convert.ToInt64(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture));
    }

    private sealed class SilentLogProvider : Hangfire.Logging.ILogProvider, Hangfire.Logging.ILog
    {
        public Hangfire.Logging.ILog GetLogger(string name) => this;

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }

    private sealed record Canary(string FullName, string Phone, string Email, string Address)
    {
        public IEnumerable<string> Values => [FullName, Phone, Email, Address];

        public static Canary Create()
        {
            var tag = Guid.NewGuid().ToString("N")[..10];
            var digits = string.Concat(Guid.NewGuid().ToByteArray().Take(8).Select(b => (char)('0' + b % 10)));
            return new($"Canaryname {tag}", "017" + digits, $"canary-{tag}@example.org", $"Canary lane {tag}, Ukhia");
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
