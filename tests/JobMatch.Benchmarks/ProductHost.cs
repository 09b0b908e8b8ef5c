using JobMatch.Audit;
using JobMatch.BackgroundJobs;
using JobMatch.CaseWorkApi;
using JobMatch.Database;
using JobMatch.Employers;
using JobMatch.Identity;
using JobMatch.Matching;
using JobMatch.Notifications;
using JobMatch.Seekers;
using JobMatch.Skills;
using JobMatch.Sms;
using JobMatch.Tests.Infrastructure;
using JobMatch.Vacancies;
using JobMatch.Web;

namespace JobMatch.Benchmarks;

/// <summary>
/// The product's own service wiring (the same Add* calls as Program.cs, without the HTTP pipeline), for workloads
/// that need its DI-built services: the outbox dispatcher with its SMTP transport and templates, user accounts.
/// Hangfire's server stays off here; each workload starts what it measures. Not the tests' <see cref="JobMatchApp"/>:
/// that starts the whole app (hosted services such as the outbox gauges, start-up passes over the tables) in the
/// Testing environment, which would run beside the workloads and change what they measure. Users for it are made with
/// the tests' <see cref="TestUsers"/>.
/// </summary>
internal sealed class ProductHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dataDirectory;

    private ProductHost(WebApplication app, string dataDirectory)
    {
        _app = app;
        _dataDirectory = dataDirectory;
    }

    public IServiceProvider Services => _app.Services;

    public static ProductHost Create(string connectionString, IDictionary<string, string?> extra)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "jobmatch-bench-host-" + Guid.NewGuid().ToString("N")[..8]);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = AppContext.BaseDirectory });
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:JobMatch"] = connectionString,
            ["BackgroundJobs:RunServer"] = "false",
            ["Demo:Enabled"] = "false",
            ["JobMatch:DataDirectory"] = dataDirectory,
            // One key for every host and app process of the run, like the nodes of one deployment: the product refuses
            // to start on a database whose data keys another key wrapped (and without a key outside demo mode).
            ["Encryption:Key"] = JobMatchApp.SharedKek,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in extra) settings[key] = value;
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddDatabase();
        builder.AddJobMatchIdentity();
        builder.AddAudit();
        builder.AddLocalisation();
        builder.AddReferenceData();
        builder.AddSkillsDatabase();
        builder.AddJobBoard();
        builder.AddEmployers();
        builder.AddMatching();
        builder.AddBackgroundJobs();
        builder.AddNotifications();
        builder.AddSms();
        builder.Services.AddHttpContextAccessor();
        return new ProductHost(builder.Build(), dataDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
