using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using JobMatch.Identity;

namespace JobMatch.BackgroundJobs;

internal static class BackgroundJobsExtensions
{
    public const string DashboardPath = "/admin/jobs";

    /// <summary>
    /// Hangfire on PostgreSQL (schema <c>hangfire</c>, the app's connection string). The client is always registered,
    /// so any node can enqueue; the server runs only where <c>BackgroundJobs:RunServer</c> is true. Call after
    /// <c>AddDatabase()</c>, which resolves the connection string.
    /// </summary>
    public static WebApplicationBuilder AddBackgroundJobs(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(BackgroundJobOptions.Section);
        var settings = section.Get<BackgroundJobOptions>() ?? new BackgroundJobOptions();
        builder.Services.AddOptions<BackgroundJobOptions>().BindConfiguration(BackgroundJobOptions.Section);
        var connectionString = builder.Configuration.GetConnectionString("JobMatch")
            ?? throw new InvalidOperationException("AddBackgroundJobs needs the connection string: call AddDatabase first.");

        var storageOptions = new PostgreSqlStorageOptions
        {
            SchemaName = "hangfire",
            PrepareSchemaIfNecessary = true,
            QueuePollInterval = settings.QueuePollInterval,
            InvisibilityTimeout = settings.InvisibilityTimeout,
            UseSlidingInvisibilityTimeout = true,
            DistributedLockTimeout = settings.DistributedLockTimeout,
        };
        // Our own JobStorage singleton, registered before AddHangfire (which only adds one if none exists): Hangfire's
        // default hands out the static JobStorage.Current, which two hosts in one process (tests) would share.
        builder.Services.AddSingleton<JobStorage>(_ => new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, storageOptions), storageOptions));
        JobTracingFilter.RegisterOnce(); // a span and a duration per job run (OpenTelemetry, Observability)
        builder.Services.AddHangfire(configuration => configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());

        builder.Services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section);
        builder.Services.AddOptions<RankingJobOptions>().BindConfiguration(RankingJobOptions.Section);
        builder.Services.AddSingleton<MatchingContract.IMatchingTriggers, MatchingJobs>();
        builder.Services.AddSingleton<Notifications.INotificationTriggers, NotificationJobs>();
        builder.Services.AddHostedService<DemoModelStartup>();

        if (settings.RunServer)
        {
            builder.Services.AddHangfireServer(options =>
            {
                options.WorkerCount = settings.WorkerCount;
                options.SchedulePollingInterval = settings.SchedulePollingInterval;
                options.ShutdownTimeout = settings.ShutdownTimeout;
            });
            builder.Services.AddHostedService<RecurringJobRegistration>();
        }
        return builder;
    }

    /// <summary>The Hangfire dashboard at /admin/jobs, for admins only (the endpoint policy does the checking).</summary>
    public static IEndpointConventionBuilder MapBackgroundJobs(this WebApplication app) =>
        app.MapHangfireDashboard(DashboardPath, new DashboardOptions
        {
            // Hangfire's own default filter allows local requests only; the Admin policy on the endpoint decides instead.
            Authorization = [],
            AppPath = "/admin",
            DashboardTitle = "JobMatch · jobs",
            DisplayStorageConnectionString = false,
        }).RequireAuthorization(Policies.Admin);
}
