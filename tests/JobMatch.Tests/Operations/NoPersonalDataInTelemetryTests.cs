using System.Net;
using System.Net.Http.Json;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Operations;

/// <summary>
/// Spans, metric labels and the Prometheus scrape carry no personal data: canary identities registered, read and
/// mistyped as sign-in names, and a canary search, appear nowhere; neither does the seeker's reference from the path.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class NoPersonalDataInTelemetryTests(PostgresFixture database)
{
    private const string Token = "operator-token-for-tests-0123456789abcdef";

    [Fact]
    public async Task SpansAndMetrics_HoldNoCanary_WhenSeekerIsRegisteredReadAndSignInsFail()
    {
        var telemetry = new TelemetryCapture();
        await using var app = new JobMatchApp(database, new Dictionary<string, string?> { ["Operations:Token"] = Token })
        {
            TestServices = telemetry.Configure,
        };
        var tag = Guid.NewGuid().ToString("N")[..10];
        var digits = string.Concat(Guid.NewGuid().ToByteArray().Take(8).Select(b => (char)('0' + b % 10)));
        string[] canaries = [$"Canaryname {tag}", "018" + digits, $"canary-{tag}@example.org", $"Canary road {tag}"];
        var (caseWorker, _) = await app.SignedInClientAsync(Roles.CaseWorker);
        await JobMatchApp.UseApiTokenAsync(caseWorker);

        var created = await caseWorker.PostAsJsonAsync("/api/casework/seekers", new
        {
            fullName = canaries[0], phone = canaries[1], email = canaries[2], address = canaries[3], dateOfBirth = "1993-05-02",
            profile = new { wants = "wage" },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var reference = (await created.Content.ReadFromJsonAsync<Dictionary<string, string>>())!["reference"];
        Assert.Contains(canaries[0], await caseWorker.GetStringAsync($"/api/casework/seekers/{reference}"), StringComparison.Ordinal);
        await caseWorker.GetAsync($"/jobs?q={Uri.EscapeDataString(canaries[0])}");
        using var stranger = app.CreatePlainClient();
        foreach (var name in canaries[1..3]) await JobMatchApp.SignInAsync(stranger, name, "wrong password " + tag);
        using var monitor = app.CreatePlainClient();
        monitor.DefaultRequestHeaders.Authorization = new("Bearer", Token);
        var scrape = await monitor.GetStringAsync("/metrics");
        var anonymousScrape = await stranger.GetAsync("/metrics");
        telemetry.Flush(app.Services);

        // The capture works: request, database and JobMatch spans and counters are there.
        Assert.Contains(telemetry.Spans, s => s.GetTagItem("http.route") as string == "/api/casework/seekers/{reference}");
        Assert.Contains(telemetry.Spans, s => s.GetTagItem("db.system.name") is "postgresql" || s.GetTagItem("db.system") is "postgresql");
        Assert.Contains("jobmatch.signin.failures", telemetry.MetricNames);
        Assert.Contains("jobmatch_signin_failures", scrape, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, anonymousScrape.StatusCode);

        var texts = telemetry.Texts();
        foreach (var secret in canaries.Append(reference).Append(tag))
        {
            Assert.DoesNotContain(texts, t => t.Contains(secret, StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(secret, scrape, StringComparison.OrdinalIgnoreCase);
        }
    }
}
