using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JobMatch.Database;

internal static class DatabaseExtensions
{
    /// <summary>
    /// Registers the one <see cref="NpgsqlDataSource"/>. With no <c>ConnectionStrings:JobMatch</c> configured, starts
    /// (or attaches to) the embedded PostgreSQL cluster in the data folder and stops it when the app stops.
    /// </summary>
    public static WebApplicationBuilder AddDatabase(this WebApplicationBuilder builder)
    {
        var connectionString = ResolveConnectionString(builder.Configuration, Console.Out, out var embedded);
        if (embedded is not null)
        {
            builder.Services.AddSingleton(embedded);
            builder.Services.AddHostedService<EmbeddedPostgresLifetime>();
        }

        DefaultTypeMap.MatchNamesWithUnderscores = true;
        builder.Services.AddSingleton(_ => CreateDataSource(connectionString));
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section);
        return builder;
    }

    /// <summary>
    /// The data source with automatic preparation of statements run often (unless the connection string sets it):
    /// the candidate query's plan took longer than its execution on a loaded two-core machine (8-30 ms of planning),
    /// and the board and matching queries are the same few statements all day.
    /// </summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 100;
            builder.ConnectionStringBuilder.AutoPrepareMinUsages = 3;
        }
        return builder.Build();
    }

    /// <summary>The configured connection string, or the embedded cluster's (which is then started).</summary>
    public static string ResolveConnectionString(IConfiguration configuration, TextWriter log, out EmbeddedPostgres? embedded)
    {
        embedded = null;
        var configured = configuration.GetConnectionString("JobMatch");
        if (!string.IsNullOrWhiteSpace(configured)) return configured;

        var root = Path.Combine(DataDirectory.Resolve(configuration), "postgres");
        embedded = EmbeddedPostgres.Start(root, durable: true, log);
        // The superuser only creates the roles: migrations run as the owner, the app as a role that owns nothing (R4).
        var (owner, app) = DatabaseRoles.EnsureEmbedded(embedded.ConnectionString("jobmatch"), embedded.RootDirectory);
        configuration["ConnectionStrings:JobMatchOwner"] = Loopback(owner);
        var connectionString = Loopback(app);
        configuration["ConnectionStrings:JobMatch"] = connectionString;
        configuration[$"{DatabaseOptions.Section}:Embedded"] = "true";
        return connectionString;
    }

    /// <summary>The role that owns the schema and runs migrations: JobMatchOwner when configured, else the app's own.</summary>
    public static string OwnerConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("JobMatchOwner") is { Length: > 0 } owner ? owner : configuration.GetConnectionString("JobMatch")!;

    private static string Loopback(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString)
        {
            // Fail fast when the database is unreachable: requests answer 503 instead of queueing up.
            Timeout = 5,
            CommandTimeout = 30,
            // Loopback without TLS: asking for TLS or GSS encryption first only adds round trips, and when the server
            // stops answering each ask waits out the timeout again (3 × 5 s instead of 5 s; SECURITY.md F9).
            SslMode = SslMode.Disable,
            GssEncryptionMode = GssEncryptionMode.Disable,
        }.ConnectionString;

    /// <summary>
    /// Checks the server is crash-safe (R29: refuses to start otherwise), then applies migrations; run once at
    /// start-up before serving.
    /// </summary>
    public static void MigrateDatabase(this WebApplication app)
    {
        var connectionString = OwnerConnectionString(app.Configuration);
        var allowUnsafe = app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.AllowUnsafeDurability;
        DurabilityCheck.EnsureAsync(connectionString, allowUnsafe, app.Logger, CancellationToken.None).GetAwaiter().GetResult();
        DatabaseMigrator.Migrate(connectionString);
    }

    private sealed class EmbeddedPostgresLifetime(EmbeddedPostgres cluster, IHostApplicationLifetime lifetime) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            lifetime.ApplicationStopped.Register(() => cluster.Stop());
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

internal sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>True when the app runs its own embedded cluster (demo mode is allowed only then).</summary>
    public bool Embedded { get; set; }

    /// <summary>Test mode only: allow a server with fsync or synchronous_commit off.</summary>
    public bool AllowUnsafeDurability { get; set; }
}
