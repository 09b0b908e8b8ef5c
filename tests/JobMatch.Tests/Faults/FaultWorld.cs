using System.Globalization;
using Dapper;
using JobMatch.Database;
using JobMatch.Identity;
using JobMatch.Notifications;
using JobMatch.Notifications.Templates;
using JobMatch.Skills;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Notifications;
using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace JobMatch.Tests.Faults;

/// <summary>
/// One database of its own for a fault test (migrated and seeded here, so the child app starts quickly and its
/// Hangfire server sees no other test's jobs), the child app's settings, and SQL helpers for its data.
/// </summary>
internal sealed class FaultWorld : IAsyncDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "jobmatch-faults-" + Guid.NewGuid().ToString("N")[..8]);

    private FaultWorld(string connectionString)
    {
        ConnectionString = connectionString;
        Db = NpgsqlDataSource.Create(connectionString);
    }

    public string ConnectionString { get; }
    public NpgsqlDataSource Db { get; }
    public string DatabaseName => new NpgsqlConnectionStringBuilder(ConnectionString).Database!;

    /// <summary>A fresh database on the test cluster (or on <paramref name="connectionString"/>'s server), migrated and seeded.</summary>
    public static async Task<FaultWorld> CreateAsync(PostgresFixture database, string? connectionString = null)
    {
        var world = new FaultWorld(connectionString ?? database.CreateDatabase("jobmatch_faults_" + Guid.NewGuid().ToString("N")[..8]));
        DatabaseMigrator.Migrate(world.ConnectionString);
        await new ReferenceData(world.Db).LoadAsync(PostgresFixture.SeedDirectory, CancellationToken.None);
        return world;
    }

    /// <summary>
    /// The child app's settings: this database, its own data folder, no demo data, short job-server timings for the
    /// test profile (SECURITY.md, "What the fault-injection tests proved"), and the given SMTP server. <paramref name="extra"/> wins.
    /// </summary>
    public Dictionary<string, string> AppSettings(TestSmtpServer? smtp = null, bool runServer = true, IDictionary<string, string>? extra = null,
        string? connectionString = null, bool unsafeDurability = true)
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:JobMatch"] = connectionString ?? ConnectionString,
            ["JobMatch:DataDirectory"] = _dataDirectory,
            ["JobMatch:SeedDirectory"] = PostgresFixture.SeedDirectory,
            ["BackgroundJobs:RunServer"] = runServer ? "true" : "false",
            ["BackgroundJobs:WorkerCount"] = "2",
            ["BackgroundJobs:InvisibilityTimeout"] = "00:00:10",
            ["BackgroundJobs:ShutdownTimeout"] = "00:00:02",
            ["BackgroundJobs:Schedules:dispatch-outbox"] = "*/1 * * * * *",
            ["BackgroundJobs:Schedules:process-vacancy-events"] = "*/1 * * * * *",
            ["Notifications:RetryBaseDelay"] = "00:00:01",
            ["Notifications:RetryMaxDelay"] = "00:00:04",
            ["Notifications:ClaimTimeout"] = "00:00:04",
        };
        if (unsafeDurability) settings["Database:AllowUnsafeDurability"] = "true"; // the shared test cluster runs with fsync off
        if (smtp is not null)
        {
            settings["Smtp:Host"] = "127.0.0.1";
            settings["Smtp:Port"] = AppProcess.Invariant(smtp.Port);
            settings["Smtp:SecureSocketOptions"] = "None";
            settings["Smtp:TimeoutSeconds"] = "5";
        }
        foreach (var (key, value) in extra ?? new Dictionary<string, string>()) settings[key] = value;
        return settings;
    }

    /// <summary>A user with <see cref="JobMatchApp.Password"/> written straight to the table (the app under test is another process).</summary>
    public async Task<(Guid Id, string UserName)> UserAsync(string role, Guid? organisationId, string? email = null)
    {
        var id = Guid.CreateVersion7();
        var userName = email ?? $"{role}-{id:N}@faults.jobmatch.local";
        var normalizer = new UpperInvariantLookupNormalizer();
        var user = new AppUser
        {
            Id = id, UserName = userName, NormalizedUserName = normalizer.NormalizeName(userName), Email = userName,
            NormalizedEmail = normalizer.NormalizeEmail(userName), SecurityStamp = Guid.NewGuid().ToString("N"),
            Role = role, OrganisationId = organisationId, DisplayName = "Fault test",
        };
        user.PasswordHash = new PasswordHasher<AppUser>().HashPassword(user, JobMatchApp.Password);
        // Encrypted and indexed under the key every child app of the run is given (AppProcess.SharedKek).
        using var store = new UserStore(Db, new JobMatch.Privacy.FieldEncryption(Db, new JobMatch.Privacy.KeyEncryptionKeys(Convert.FromBase64String(AppProcess.SharedKek), [])), normalizer);
        await store.CreateAsync(user, CancellationToken.None);
        return (id, userName);
    }

    /// <summary>A verified employer organisation with a contact address (for digests).</summary>
    public async Task<Guid> EmployerAsync(string? contactEmail = null)
    {
        var id = Guid.CreateVersion7();
        await using var c = await Db.OpenConnectionAsync();
        await c.ExecuteAsync("INSERT INTO organisation (id, kind, name, membership) VALUES (@id, 'employer', @name, 'chamber')", new { id, name = "Employer " + id });
        await c.ExecuteAsync(
            "INSERT INTO employer (organisation_id, status, sector_code, contact_email, verified_at) VALUES (@id, 'verified', 'garments', @contactEmail, now())",
            new { id, contactEmail });
        return id;
    }

    /// <summary>A signed-in employer client of the child app, with the API antiforgery header set.</summary>
    public async Task<(HttpClient Client, Guid EmployerId)> EmployerClientAsync(AppProcess app, TimeSpan? timeout = null)
    {
        var employerId = await EmployerAsync();
        var (_, userName) = await UserAsync(Roles.Employer, employerId);
        var client = app.CreateClient(timeout);
        var response = await JobMatchApp.SignInAsync(client, userName, JobMatchApp.Password);
        if (response.StatusCode != System.Net.HttpStatusCode.Redirect) throw new InvalidOperationException($"Sign-in failed: {(int)response.StatusCode}");
        await JobMatchApp.UseApiTokenAsync(client);
        return (client, employerId);
    }

    /// <summary>Writes a generic notification for a user to the outbox, as a feature would (the product's own SQL).</summary>
    public async Task<Guid> NotifyAsync(Guid userId)
    {
        var message = NewOutboxMessage.Create(EmailTemplates.Generic, RecipientKinds.User, userId.ToString(), new GenericNotificationArgs("/me/offers"));
        await using var c = await Db.OpenConnectionAsync();
        await using var tx = await c.BeginTransactionAsync();
        await new Outbox(null!).EnqueueAsync(c, tx, message, CancellationToken.None);
        await tx.CommitAsync();
        return message.Id;
    }

    public async Task<T> ScalarAsync<T>(string sql, object? args = null)
    {
        await using var c = await Db.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<T>(sql, args) ?? throw new InvalidOperationException("NULL from: " + sql);
    }

    public async Task<List<T>> QueryAsync<T>(string sql, object? args = null)
    {
        await using var c = await Db.OpenConnectionAsync();
        return (await c.QueryAsync<T>(sql, args)).ToList();
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, AppProcess? app = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout) throw new TimeoutException($"Not within {timeout}: {what}\n{app?.Tail()}");
            await Task.Delay(250);
        }
    }

    public static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    public async ValueTask DisposeAsync()
    {
        await Db.DisposeAsync();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
