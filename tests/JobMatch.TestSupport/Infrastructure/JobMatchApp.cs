using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using JobMatch.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace JobMatch.Tests.Infrastructure;

/// <summary>The real app (Program) in-process against the test database; background job server off unless asked.</summary>
public sealed partial class JobMatchApp(PostgresFixture database, IDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    public const string Password = TestUsers.Password;
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "jobmatch-app-" + Guid.NewGuid().ToString("N")[..8]);

    public PostgresFixture Database => database;

    /// <summary>The one KEK of the test run's deployment: every in-process app and child process uses it (F10 refuses others).</summary>
    internal static readonly string SharedKek = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>A clock for the app (e.g. a FakeTimeProvider for session timeouts); the system clock when null.</summary>
    public TimeProvider? Time { get; init; }

    /// <summary>The address requests of the test server come from (<see cref="ClientAddressFilter"/>): one per host unless a test shares one.</summary>
    public IPAddress ClientAddress { get; init; } = ClientAddressFilter.NewAddress();

    /// <summary>Extra registrations after the app's own (e.g. a logger provider that captures every line).</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:JobMatch", database.ConnectionString);
        builder.UseSetting("Database:AllowUnsafeDurability", "true");
        builder.UseSetting("Demo:Enabled", "false");
        builder.UseSetting("BackgroundJobs:RunServer", "false");
        builder.UseSetting("JobMatch:DataDirectory", _dataDirectory);
        builder.UseSetting("JobMatch:SeedDirectory", PostgresFixture.SeedDirectory);
        builder.UseSetting("Identity:TestPasswordIterations", TestUsers.PasswordIterations); // PasswordPolicyTests turns it off
        // Every instance of a test run shares one KEK, like the nodes of one deployment: each can open the key ring
        // (sign-in cookies) and the data keys the others wrote.
        builder.UseSetting("Encryption:Key", SharedKek);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new ClientAddressFilter(ClientAddress)));
        builder.ConfigureTestServices(AuthenticatorOnTestClock.Register); // TOTP codes of the next step at once, no 30-s waits
        if (Time is { } time)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(time));
        }
        if (TestServices is { } configure)
        {
            builder.ConfigureTestServices(configure);
        }
    }

    /// <summary>A client that keeps cookies and does not follow redirects (to <see cref="WebApplicationFactory{T}.ClientOptions"/>'s address, which a Kestrel-hosted app sets).</summary>
    public HttpClient CreatePlainClient() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = ClientOptions.BaseAddress });

    internal Task<Guid> CreateOrganisationAsync(string kind, string? name = null, string? membership = null) =>
        TestUsers.CreateOrganisationAsync(Services, kind, name, membership);

    /// <summary>Creates a user with <see cref="Password"/>; staff get an enrolled authenticator (see <see cref="TestUsers.CreateUserAsync"/>).</summary>
    internal Task<AppUser> CreateUserAsync(string role, Guid? organisationId, string? userName = null, string language = "en", bool? withAuthenticator = null) =>
        TestUsers.CreateUserAsync(Services, role, organisationId, userName, language, withAuthenticator);

    /// <summary>Creates an organisation of the right kind and a user of <paramref name="role"/> in it, signed in on a new client.</summary>
    /// <summary>A chamber admin belongs to one of the three membership bodies (the Chamber unless <paramref name="organisationId"/> names another).</summary>
    internal async Task<(HttpClient Client, AppUser User)> SignedInClientAsync(string role, Guid? organisationId = null, string language = "en")
    {
        if (role == Roles.ChamberAdmin) organisationId ??= JobMatch.Chambers.MembershipBodies.Ids["chamber"];
        var kind = role switch
        {
            Roles.Admin => "platform",
            Roles.Employer => "employer",
            Roles.TrainingProvider => "training_provider",
            Roles.CaseWorker => "case_agency",
            _ => null,
        };
        Guid? org = role == Roles.JobSeeker ? null : organisationId ?? await CreateOrganisationAsync(kind!);
        var user = await CreateUserAsync(role, org, language: language);
        var client = CreatePlainClient();
        var response = await SignInAsync(client, user.UserName, Password);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Sign-in failed for {role}: {(int)response.StatusCode}");
        }
        return (client, user);
    }

    /// <summary>
    /// Signs in like a person would: the password, then, when the app asks, the authenticator code (computed from the
    /// key <see cref="CreateUserAsync"/> enrolled) or the first-time enrolment (key read from the page). Returns the
    /// last response: a redirect on success, the form again on failure.
    /// </summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string userName, string password)
    {
        var token = await FormTokenAsync(client, "/account/login");
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = userName,
            ["Password"] = password,
            ["__RequestVerificationToken"] = token,
        }));
        var next = response.StatusCode == HttpStatusCode.Redirect ? response.Headers.Location?.OriginalString : null;
        if (next is null) return response;
        if (next.StartsWith("/account/two-factor", StringComparison.Ordinal))
        {
            return await PostCodeAsync(client, next, await TestAuthenticator.NextCodeAsync(userName));
        }
        if (next.StartsWith("/account/enrol-authenticator", StringComparison.Ordinal))
        {
            var page = await client.GetStringAsync(next);
            TestAuthenticator.Remember(userName, TestAuthenticator.KeyOnPage(page));
            return await PostCodeAsync(client, next, await TestAuthenticator.NextCodeAsync(userName), FormToken(page));
        }
        return response;
    }

    /// <summary>Posts a 6-digit code to the two-factor or enrolment page at <paramref name="path"/>.</summary>
    public static async Task<HttpResponseMessage> PostCodeAsync(HttpClient client, string path, string code, string? formToken = null) =>
        await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Code"] = code,
            ["__RequestVerificationToken"] = formToken ?? await FormTokenAsync(client, path),
        }));

    /// <summary>The antiforgery token of the form on a page (reads the hidden field).</summary>
    public static async Task<string> FormTokenAsync(HttpClient client, string path)
    {
        var html = await client.GetStringAsync(path);
        return FormToken(html);
    }

    public static string FormToken(string html)
    {
        var match = TokenField().Match(html);
        if (!match.Success) throw new InvalidOperationException("No antiforgery token on the page.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>Adds the API antiforgery header (token from GET /api/antiforgery) to the client.</summary>
    public static async Task UseApiTokenAsync(HttpClient client)
    {
        var response = await client.GetFromJsonAsync<TokenResponse>("/api/antiforgery");
        client.DefaultRequestHeaders.Remove("X-CSRF-TOKEN");
        client.DefaultRequestHeaders.Add("X-CSRF-TOKEN", response!.Token);
    }

    private sealed record TokenResponse(string HeaderName, string Token);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
