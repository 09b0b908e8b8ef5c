using System.Security.Cryptography;
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
using JobMatch.Vacancies;
using JobMatch.Web;

namespace JobMatch.Benchmarks;

/// <summary>
/// The product's own service wiring (the same Add* calls as Program.cs, without the HTTP pipeline), for workloads
/// that need its DI-built services: the outbox dispatcher with its SMTP transport and templates, user accounts.
/// Hangfire's server stays off here; each workload starts what it measures.
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

    /// <summary>
    /// The field-encryption key of this run (the product refuses to start without one outside demo mode): one for every
    /// host and app process of the run, like the nodes of one deployment, because the product refuses to start on a
    /// database whose data keys another key wrapped.
    /// </summary>
    public static readonly string RunEncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

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
            ["Encryption:Key"] = RunEncryptionKey,
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

    public async Task<AppUser> CreateUserAsync(string role, Guid? organisationId, string userName, string password)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateUserAsync(userName, password, role, organisationId, "Bench " + role, "en");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
