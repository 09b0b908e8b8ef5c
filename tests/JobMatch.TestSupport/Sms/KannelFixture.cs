using JobMatch.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace JobMatch.Tests.Sms;

/// <summary>
/// One real Kannel (with its fake SMSC) and one app listening on a real loopback port for the whole collection, so
/// the gateway starts once (about a second) and can call the app back. The collection has its own PostgreSQL, so
/// it runs beside the rest of the suite. <see cref="Web"/> is a second, in-process node of the same deployment (same
/// database and keys) for the signed-in pages: employers and case workers use it, the gateway calls <see cref="App"/>.
/// </summary>
public sealed class KannelFixture : IAsyncLifetime
{
    public PostgresFixture Database { get; } = new();
    public KannelGateway Gateway { get; private set; } = null!;
    public JobMatchApp App { get; private set; } = null!;
    public JobMatchApp Web { get; private set; } = null!;
    /// <summary>Every log line of the node the gateway talks to, at Trace level (no number or text may appear).</summary>
    internal JobMatch.Tests.Infrastructure.CapturingLoggerProvider Logs { get; } = new();
    /// <summary>Every span and metric of the node the gateway talks to (no number, text or secret may appear).</summary>
    internal JobMatch.Tests.Infrastructure.TelemetryCapture Telemetry { get; } = new();
    /// <summary>The in-process web host's log, read only to explain a failed request.</summary>
    internal JobMatch.Tests.Infrastructure.CapturingLoggerProvider WebLogs { get; } = new();

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        if (!KannelGateway.Installed)
        {
            // Under CI the tests must fail, not skip: the fixture's failure fails every test of the collection.
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))) throw new InvalidOperationException(KannelGateway.MissingReason);
            return;
        }
        Gateway = await KannelGateway.StartAsync();
        var settings = Settings(Gateway);
        settings["Logging:LogLevel:Default"] = "Trace";
        settings["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace";
        App = new JobMatchApp(Database, settings)
        {
            TestServices = s =>
            {
                s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs);
                Telemetry.Configure(s);
            },
        };
        App.UseKestrel();
        App.ClientOptions.BaseAddress = new Uri($"http://127.0.0.1:{Gateway.AppPort}/");
        App.StartServer();
        var web = Settings(Gateway);
        web.Remove("Kestrel:Endpoints:Http:Url");
        Web = new JobMatchApp(Database, web) { TestServices = s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(WebLogs) };
    }

    public static Dictionary<string, string?> Settings(KannelGateway gateway) => new()
    {
        ["Kestrel:Endpoints:Http:Url"] = $"http://127.0.0.1:{gateway.AppPort}",
        ["Sms:Kannel:SendUrl"] = gateway.SendUrl.ToString(),
        ["Sms:Kannel:Username"] = KannelGateway.Username,
        ["Sms:Kannel:Password"] = KannelGateway.Password,
        ["Sms:Kannel:Sender"] = "JobMatch",
        ["Sms:Kannel:CallbackSecret"] = gateway.Secret,
        ["Sms:CallbackBaseUrl"] = $"http://127.0.0.1:{gateway.AppPort}/",
        ["Notifications:RetryBaseDelay"] = "00:00:01",
        ["Notifications:RetryMaxDelay"] = "00:00:02",
        ["Matching:TopK"] = "500",
        ["Matching:CandidateViewsPerHour"] = "10000",
    };

    public async Task DisposeAsync()
    {
        if (Web is not null) await Web.DisposeAsync();
        if (App is not null) await App.DisposeAsync();
        if (Gateway is not null) await Gateway.DisposeAsync();
        await Database.DisposeAsync();
    }
}
