using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using DbUp;
using JobMatch.Database;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Seekers;
using JobMatch.Tests.Web;
using Npgsql;

namespace JobMatch.Tests.Consent;

/// <summary>
/// The notifications consent names how the person agreed to be told (SMS to their own phone, e-mail, or relay through
/// the case worker alone). The case worker's page and the API record it through the same service and refuse the
/// same things: the page next to the field in the user's language, the API with a 400 problem document. Consents
/// recorded before the choice existed keep SMS and e-mail (migration 1550). Where the messages go is in
/// tests/JobMatch.Tests/Sms/NotificationChannelTests (with a real gateway).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class NotificationChannelConsentTests(PostgresFixture database, SharedApp shared) : IClassFixture<SharedApp>
{
    private const string ChooseBn = "ব্যক্তিকে কীভাবে জানাতে হবে বেছে নিন: এসএমএস, ই-মেইল বা কেস ওয়ার্কারের মাধ্যমে।";

    [Theory]
    [InlineData(null, "Choose how the person wants to be told: SMS, e-mail or through their case worker.")]
    [InlineData(new[] { "relay", "sms" }, "Through the case worker means no SMS and no e-mail: choose it alone.")]
    [InlineData(new[] { "whatsapp" }, "Use sms, email or relay.")]
    public async Task NotificationsConsentApi_Answers400ProblemDocument_WhenTheChannelsAreMissingOrWrong(string[]? channels, string message)
    {
        var app = shared.For(database);
        var client = await SeekerApi.CaseWorkerAsync(app);
        var reference = await SeekerApi.RegisterAsync(client, SeekerApi.Canaries.New());

        var response = await client.PostAsJsonAsync($"/api/casework/seekers/{reference}/consents", new { purpose = "notifications", method = "in_person", channels });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(message, problem.GetProperty("errors").GetProperty("channels")[0].GetString());
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM consent c JOIN seeker s ON s.id = c.seeker_id WHERE s.reference = @reference AND c.purpose = 'notifications'", new { reference }));
    }

    [Fact]
    public async Task ConsentApi_AnswersInBangla_AndRefusesChannelsOnAnotherPurpose()
    {
        var app = shared.For(database);
        var client = await SeekerApi.CaseWorkerAsync(app);
        var reference = await SeekerApi.RegisterAsync(client, SeekerApi.Canaries.New(), consent: false);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/casework/seekers/{reference}/consents")
        {
            Content = JsonContent.Create(new { purpose = "notifications", method = "in_person", channels = Array.Empty<string>() }),
        };
        request.Headers.AcceptLanguage.ParseAdd("bn");

        var bangla = await client.SendAsync(request);
        var matching = await client.PostAsJsonAsync($"/api/casework/seekers/{reference}/consents", new { purpose = "matching", method = "in_person", channels = new[] { "sms" } });

        Assert.Equal(HttpStatusCode.BadRequest, bangla.StatusCode);
        Assert.Equal(ChooseBn, (await bangla.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("channels")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, matching.StatusCode);
        Assert.Equal("Only the consent to notifications says how the person is told.",
            (await matching.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("channels")[0].GetString());
    }

    [Fact]
    public async Task CaseWorkerConsentForm_ShowsTheBanglaErrorNextToTheChannels_WhenNoneIsTicked()
    {
        var app = shared.For(database);
        var (client, user) = await app.SignedInClientAsync(Roles.CaseWorker, language: "bn");
        var api = await SeekerApi.CaseWorkerAsync(app, user.OrganisationId);
        var reference = await SeekerApi.RegisterAsync(api, SeekerApi.Canaries.New());
        var path = $"/casework/seekers/{reference}";
        var token = await JobMatchApp.FormTokenAsync(client, path);

        var response = await client.PostAsync($"{path}?handler=Consent", FormValidationTests.Form(token, ("purpose", "notifications"), ("method", "in_person")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await FormValidationTests.ParseAsync(response);
        var first = page.QuerySelector("input[name=channels]")!;
        Assert.Equal("true", first.GetAttribute("aria-invalid"));
        var message = page.GetElementById(first.GetAttribute("aria-describedby")!)!;
        Assert.Equal(ChooseBn, message.TextContent.Trim());
        Assert.Equal(3, page.QuerySelectorAll("input[name=channels]").Length);
    }

    [Fact]
    public async Task CaseWorkerConsentForm_RecordsTheChosenChannels_AndAnotherChoiceReplacesThem()
    {
        var app = shared.For(database);
        var (client, user) = await app.SignedInClientAsync(Roles.CaseWorker);
        var api = await SeekerApi.CaseWorkerAsync(app, user.OrganisationId);
        var reference = await SeekerApi.RegisterAsync(api, SeekerApi.Canaries.New());
        var path = $"/casework/seekers/{reference}";

        var first = await client.PostAsync($"{path}?handler=Consent", FormValidationTests.Form(await JobMatchApp.FormTokenAsync(client, path),
            ("purpose", "notifications"), ("method", "in_person"), ("channels", "email"), ("channels", "sms")));
        var same = await api.PostAsJsonAsync($"/api/casework/seekers/{reference}/consents", new { purpose = "notifications", method = "by_phone", channels = new[] { "sms", "email" } });
        var relay = await api.PostAsJsonAsync($"/api/casework/seekers/{reference}/consents", new { purpose = "notifications", method = "by_phone", channels = new[] { "relay" } });

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal(HttpStatusCode.OK, relay.StatusCode);
        var history = (await QueryAsync<(string Channels, bool Active)>(
            """
            SELECT array_to_string(c.channels, ','), c.withdrawn_at IS NULL FROM consent c JOIN seeker s ON s.id = c.seeker_id
            WHERE s.reference = @reference AND c.purpose = 'notifications' ORDER BY c.id
            """, new { reference })).ToList();
        Assert.Equal(new[] { ("sms,email", false), ("relay", true) }, history); // the same choice again was no new record
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM audit_log WHERE action = 'consent_withdrawn_notifications' AND subject = @s", new { s = "seeker:" + reference }));
        var shown = await FormValidationTests.ParseAsync(await client.GetAsync(path));
        Assert.Equal(new[] { "relay", "sms,email" }, shown.QuerySelectorAll("[data-channels]").Select(e => e.GetAttribute("data-channels")!).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// A database from before the choice: every script but 1550 applied (so the view active_consent already exists
    /// without the new column), a notifications consent recorded; then the migrator adds 1550.
    /// </summary>
    [Fact]
    public async Task Migration1550_KeepsSmsAndEmail_ForConsentsRecordedBeforeTheChoice_AndRefreshesTheView()
    {
        var connectionString = database.CreateDatabase("migrate_channels_" + Guid.NewGuid().ToString("N")[..8]);
        DatabaseMigrator.EnsureDatabase(connectionString);
        var before = DeployChanges.To.PostgresqlDatabase(connectionString)
            .WithScriptsEmbeddedInAssembly(typeof(DatabaseMigrator).Assembly, n => n.EndsWith(".sql", StringComparison.Ordinal) && !n.Contains("1550_", StringComparison.Ordinal))
            .WithTransactionPerScript().Build().PerformUpgrade();
        Assert.True(before.Successful, before.Error?.Message);
        await using (var c = new NpgsqlConnection(connectionString))
        {
            await c.ExecuteAsync(
                """
                INSERT INTO organisation (id, kind, name) VALUES ('00000000-0000-0000-0000-0000000015a0', 'case_agency', 'Legacy agency');
                INSERT INTO seeker (reference, agency_id) VALUES ('JS-LEGACY', '00000000-0000-0000-0000-0000000015a0');
                INSERT INTO consent (seeker_id, purpose, method, recorded_by)
                SELECT id, p, 'in_person', '00000000-0000-0000-0000-0000000015a0' FROM seeker, unnest(ARRAY['matching', 'notifications']) AS p;
                """);
        }

        DatabaseMigrator.Migrate(connectionString);

        await using var connection = new NpgsqlConnection(connectionString);
        var channels = (await connection.QueryAsync<(string Purpose, string? Channels)>(
            "SELECT purpose, array_to_string(channels, ',') FROM active_consent ORDER BY purpose")).ToList();
        Assert.Equal(new (string, string?)[] { ("matching", null), ("notifications", "sms,email") }, channels);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(
            "INSERT INTO consent (seeker_id, purpose, method, recorded_by) SELECT id, 'notifications', 'in_person', gen_random_uuid() FROM seeker"));
        Assert.Equal(PostgresErrorCodes.CheckViolation, refused.SqlState);
    }

    private async Task<int> CountAsync(string sql, object args)
    {
        await using var c = await database.DataSource.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<int>(sql, args);
    }

    private async Task<IEnumerable<T>> QueryAsync<T>(string sql, object args)
    {
        await using var c = await database.DataSource.OpenConnectionAsync();
        return await c.QueryAsync<T>(sql, args);
    }
}
