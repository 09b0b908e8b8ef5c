using JobMatch.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Playwright;

namespace JobMatch.BrowserTests;

/// <summary>The real app on a real loopback port (Kestrel), against the test database, for a real browser.</summary>
public sealed class BrowserApp : WebApplicationFactory<Program>
{
    // Every host of the run shares one key-encryption key, like the nodes of one installation: a host with another
    // key refuses to start (F10) rather than issue cookies the others cannot read. It is the in-process apps' key,
    // because the field-use crawl builds its data with the security tests' world (a JobMatchApp) on the same database.
    private static readonly string SharedKek = JobMatchApp.SharedKek;

    private readonly PostgresFixture _database;
    private readonly IDictionary<string, string?> _settings;
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "jobmatch-browser-" + Guid.NewGuid().ToString("N")[..8]);

    /// <param name="port">0 for a free port; a fixed one where something outside calls the app back (Kannel's replies).</param>
    public BrowserApp(PostgresFixture database, IDictionary<string, string?>? settings = null, int port = 0)
    {
        _database = database;
        _settings = settings ?? new Dictionary<string, string?>();
        UseKestrel(port); // must be called in the subclass constructor to get a random port (called on the result of WithWebHostBuilder it would listen on the default port)
    }

    public string BaseUrl => ClientOptions.BaseAddress.ToString().TrimEnd('/');

    /// <summary>
    /// A client that keeps cookies and does not follow redirects, like <c>JobMatchApp.CreatePlainClient</c>, for
    /// arranging data through the API. Not <c>CreateClient(options)</c>: on Kestrel its handler follows redirects
    /// whatever the options say, so a sign-in would never see the two-factor redirect.
    /// </summary>
    public HttpClient CreatePlainClient() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new System.Net.CookieContainer() })
        {
            BaseAddress = new Uri(BaseUrl),
        };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:JobMatch", _database.ConnectionString);
        builder.UseSetting("Database:AllowUnsafeDurability", "true");
        builder.UseSetting("Demo:Enabled", "false");
        builder.UseSetting("BackgroundJobs:RunServer", "false"); // tests run the jobs they need themselves, when they need them
        builder.UseSetting("JobMatch:DataDirectory", _dataDirectory);
        builder.UseSetting("JobMatch:SeedDirectory", PostgresFixture.SeedDirectory);
        builder.UseSetting("Identity:TestPasswordIterations", TestUsers.PasswordIterations);
        builder.UseSetting("Encryption:Key", SharedKek);
        // Every browser and client of the run comes from 127.0.0.1, and the throttles count per address in the shared
        // database (issue 14), so all hosts of the run are one client to them: a run's sign-ins and registration posts
        // would exhaust one real client's budget. Tests that want the limits set them.
        builder.UseSetting("Identity:LoginAttemptsPerIpPerMinute", "1000");
        builder.UseSetting("Registration:PermitsPerWindow", "1000");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureTestServices(AuthenticatorOnTestClock.Register); // TOTP codes of the next step at once, no 30-s waits
    }

    public static async Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright)
    {
        if (!File.Exists(BrowserFactAttribute.ChromiumPath))
        {
            throw new InvalidOperationException($"Chromium not found at {BrowserFactAttribute.ChromiumPath}. Install Debian's chromium package (.ci/run does) or set CHROMIUM_PATH.");
        }
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFactAttribute.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>Where screenshots go: kept as test artefacts (TestResults is not committed).</summary>
    public static string ScreenshotPath(string name)
    {
        var folder = Environment.GetEnvironmentVariable("JOBMATCH_SCREENSHOTS") is { Length: > 0 } configured
            ? configured
            : Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../TestResults/screenshots"));
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name + ".png");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
