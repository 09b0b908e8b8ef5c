using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Dapper;
using JobMatch.Identity;
using JobMatch.Notifications;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Matching;
using JobMatch.Tests.Notifications;
using Npgsql;
using Xunit.Abstractions;

namespace JobMatch.Tests.Security;

/// <summary>
/// R1, R18, R20 (issue 7 acceptance 2): canaries in every seeker identity field, the case file, the referring
/// agency's and the certifying provider's names. Every GET endpoint the employer and the training-provider roles can
/// reach (from <see cref="EndpointCatalogue"/>, route parameters filled with every real id of the world, both
/// organisations) is crawled before the seeker accepts, after, and after the consent is withdrawn; plus every e-mail
/// sent (through a real SMTP server), every log line, Hangfire's tables, the programme CSV and a pg_dump.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class CanaryCrawlTests(PostgresFixture database, SecurityWorldFixture fixture, ITestOutputHelper output)
    : IClassFixture<SecurityWorldFixture>, IAsyncLifetime
{
    private readonly CapturingLoggerProvider _logs = new();
    private TestSmtpServer _smtp = null!;
    private int _responses;

    public Task InitializeAsync()
    {
        _smtp = TestSmtpServer.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _smtp.DisposeAsync();

    [Fact]
    public async Task EmployerAndProviderOutputs_HoldNoCanary_ExceptConsentedNameAndPhoneOnThatVacancy()
    {
        var settings = OutboxTestHost.Settings(_smtp, new Dictionary<string, string?>(FlowWorld.Settings())
        {
            ["Logging:LogLevel:Default"] = "Debug",
            ["Logging:LogLevel:JobMatch"] = "Trace",
        });
        var world = await fixture.GetAsync(database, settings, services => services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(_logs));
        var own = world.Own;
        var employer = world.Clients[Roles.Employer];
        var provider = world.Clients[Roles.TrainingProvider];
        var forbidden = Forbidden(world).ToList();
        // Case work's references never reach an employer (it sees per-vacancy handles only).
        var forbiddenToEmployer = forbidden.Concat([world.Own.Seeker.Reference, world.Other.Seeker.Reference]).ToList();
        // Nor to a training provider (it sees its own trainee numbers only).
        var forbiddenToProvider = forbiddenToEmployer;
        var hits = new List<string>();

        // The seeker agreed to e-mail notifications, so the invitation is mailed; the employer gets its digest of new candidates.
        var notifications = await own.Worker.Client.PostAsJsonAsync($"/api/casework/seekers/{own.Seeker.Reference}/consents",
            new { purpose = "notifications", method = "in_person", channels = new[] { "sms", "email" } });
        Assert.Equal(HttpStatusCode.OK, notifications.StatusCode);
        await world.App.Services.GetRequiredService<EmployerDigests>().SendForVacancyAsync(own.Vacancy, CancellationToken.None);

        // Before the seeker's answer (and after the employer's invitation, which mails the seeker).
        hits.AddRange(await CrawlAsync(world, Roles.Employer, forbiddenToEmployer));
        hits.AddRange(await CrawlAsync(world, Roles.TrainingProvider, forbiddenToProvider, Allowed(own.Seeker.Canaries.Name.Split(' ')[0])));
        Assert.Equal(HttpStatusCode.NoContent, (await employer.PostAsync($"/api/employer/vacancies/{own.Vacancy}/candidates/{own.Handle}/invite", null)).StatusCode);
        hits.AddRange(await CrawlAsync(world, Roles.Employer, forbiddenToEmployer));

        // The seeker accepts through their own API: name and phone appear for that employer, on that vacancy only.
        var accept = await own.SeekerClient.PostAsync($"/api/me/offers/{own.ShownMatch}/accept", null);
        Assert.True(accept.IsSuccessStatusCode, $"accept: {(int)accept.StatusCode}");
        var consented = ConsentedOn(own.Vacancy, own.Seeker.Canaries);
        hits.AddRange(await CrawlAsync(world, Roles.Employer, forbiddenToEmployer, consented.Allows));
        var candidatePage = await employer.GetStringAsync($"/employer/vacancies/{own.Vacancy}/candidates/{own.Handle}");
        Assert.Contains(own.Seeker.Canaries.Name, candidatePage); // control: the crawl can see a disclosure
        Assert.Contains(own.Seeker.Canaries.Phone.Replace("+88", ""), candidatePage);
        hits.AddRange(await CrawlAsync(world, Roles.TrainingProvider, forbiddenToProvider, Allowed(own.Seeker.Canaries.Name.Split(' ')[0])));

        // Withdrawn: hidden again on the next request.
        var withdraw = await own.SeekerClient.PostAsync($"/api/me/offers/{own.ShownMatch}/withdraw", null);
        Assert.True(withdraw.IsSuccessStatusCode, $"withdraw: {(int)withdraw.StatusCode}");
        hits.AddRange(await CrawlAsync(world, Roles.Employer, forbiddenToEmployer));
        var afterWithdrawal = await employer.GetAsync($"/employer/vacancies/{own.Vacancy}/candidates/{own.Handle}");
        Assert.DoesNotContain(own.Seeker.Canaries.Name, await afterWithdrawal.Content.ReadAsStringAsync()); // 404: the candidate withdrew

        // Everything that left the app another way.
        var mails = await MailsAsync(world);
        hits.AddRange(mails.Hits(forbidden, world));
        hits.AddRange(Find("log", string.Join('\n', _logs.Lines), forbidden));
        hits.AddRange(Find("hangfire", await HangfireTextAsync(), forbidden));
        var csv = await world.Clients[Roles.Admin].GetStringAsync("/admin/programme.csv");
        _responses++;
        hits.AddRange(Find("programme.csv", csv, forbidden));
        // Organisation names are not personal data and are stored in clear; identities and case files must not be.
        var dump = await PgDumpAsync();
        hits.AddRange(Find("pg_dump", dump, forbidden.Where(f => !f.StartsWith("CANARYAGENCY", StringComparison.Ordinal) && !f.StartsWith("CANARYPROVIDER", StringComparison.Ordinal))));

        output.WriteLine($"{hits.Count} canary hits over {_responses} responses, {mails.Count} e-mails, {_logs.Lines.Count} log lines, " +
            $"the Hangfire tables, the programme CSV and a {dump.Length / 1024} KiB pg_dump; {forbidden.Count} canaries.");
        Assert.True(hits.Count == 0, string.Join(Environment.NewLine, hits.Distinct().Take(50)));
        Assert.True(_responses > 100, $"only {_responses} responses crawled");
        Assert.True(mails.Count > 0, "no e-mail was sent: the mail check proved nothing");
    }

    /// <summary>Every C2 and C3 value of both organisations' seekers, and the names that would betray a survivor's referral.</summary>
    private static IEnumerable<string> Forbidden(SecurityWorld world)
    {
        foreach (var side in new[] { world.Own, world.Other })
        {
            var c = side.Seeker.Canaries;
            foreach (var value in c.All) yield return value;
            yield return c.Phone;
            yield return c.Name.Split(' ')[0];
            yield return side.Seeker.ProviderName;
            yield return side.Worker.AgencyName;
        }
        yield return "trafficking_survivor";
        yield return "1999-04-12";
    }

    private static Func<string, string, bool> Allowed(params string[] values) => (_, canary) => values.Contains(canary);

    private sealed record Consent(Func<string, string, bool> Allows);

    /// <summary>The seeker's name and phone (and the first name inside it) are allowed on the consented vacancy's pages only.</summary>
    private static Consent ConsentedOn(long vacancy, Seekers.SeekerApi.Canaries c)
    {
        string[] values = [c.Name, c.Name.Split(' ')[0], c.Phone, c.Phone.Replace("+88", "")];
        return new Consent((path, canary) => values.Contains(canary) && path.Contains($"/vacancies/{vacancy}/", StringComparison.Ordinal));
    }

    /// <summary>GETs every route the role can reach with every combination of the world's ids; returns the hits.</summary>
    private async Task<List<string>> CrawlAsync(SecurityWorld world, string role, IReadOnlyList<string> forbidden, Func<string, string, bool>? allowed = null)
    {
        var client = world.Clients[role];
        var hits = new List<string>();
        var endpoints = CrawlPaths.Readable(world, role);
        Assert.Contains(endpoints, e => e.Route.Contains(role == Roles.Employer ? "{handle}" : "{trainee}", StringComparison.Ordinal));
        foreach (var path in endpoints.SelectMany(e => CrawlPaths.Of(e.Route, world)).Distinct())
        {
            using var response = await client.GetAsync(path);
            _responses++;
            var text = new StringBuilder(path).Append(' ').Append((int)response.StatusCode).Append('\n');
            foreach (var header in response.Headers.Concat(response.Content.Headers)) text.Append(header.Key).Append(": ").AppendJoin(",", header.Value).Append('\n');
            text.Append(await response.Content.ReadAsStringAsync());
            hits.AddRange(Find($"{role} GET {path}", text.ToString(), forbidden.Where(f => allowed?.Invoke(path, f) != true)));
        }
        return hits;
    }

    private static IEnumerable<string> Find(string where, string text, IEnumerable<string> canaries) =>
        canaries.Where(c => text.Contains(c, StringComparison.OrdinalIgnoreCase)).Select(c => $"{where}: {c}");

    private sealed record Mails(IReadOnlyList<MimeKit.MimeMessage> Messages)
    {
        public int Count => Messages.Count;

        /// <summary>
        /// R24: no C3 in any mail; no C2 except, to a seeker, their own first name and address. Seekers receive their
        /// mail at the canary address, so the address in To: is theirs.
        /// </summary>
        public IEnumerable<string> Hits(IReadOnlyList<string> forbidden, SecurityWorld world)
        {
            var seekers = new[] { world.Own.Seeker.Canaries, world.Other.Seeker.Canaries };
            foreach (var message in Messages)
            {
                var to = string.Join(",", message.To.Mailboxes.Select(m => m.Address));
                var own = seekers.FirstOrDefault(c => to.Contains(c.Email, StringComparison.OrdinalIgnoreCase));
                string[] allowed = own is null ? [] : [own.Email, own.Name.Split(' ')[0]];
                foreach (var hit in Find($"mail to {(own is null ? to : "the seeker")} '{message.Subject}'", $"{message.Headers}\n{message.TextBody}\n{message.HtmlBody}", forbidden.Except(allowed)))
                {
                    yield return hit;
                }
            }
        }
    }

    private async Task<Mails> MailsAsync(SecurityWorld world)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("UPDATE outbox_message SET next_attempt_at = now() WHERE status = 'pending'");
        await using var scope = world.App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<OutboxDispatcher>().DispatchDueAsync(CancellationToken.None);
        return new Mails(_smtp.Received);
    }

    /// <summary>Every Hangfire table as text (job arguments, invocation data, state data, queues, sets).</summary>
    private async Task<string> HangfireTextAsync()
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var tables = await connection.QueryAsync<string>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'hangfire' AND table_type = 'BASE TABLE'");
        var text = new StringBuilder();
        foreach (var table in tables)
        {
            using var reader = await connection.BeginTextExportAsync($"COPY hangfire.\"{table}\" TO STDOUT");
            text.Append(await reader.ReadToEndAsync());
        }
        Assert.True(text.Length > 0, "no Hangfire rows: the job-argument check proved nothing");
        return text.ToString();
    }

    /// <summary>A plain-text pg_dump of the whole test database, as an operator would take a backup.</summary>
    private async Task<string> PgDumpAsync()
    {
        var c = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        var start = new ProcessStartInfo("/usr/lib/postgresql/15/bin/pg_dump")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var argument in new[] { "--host", c.Host!, "--port", c.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--username", c.Username!, "--dbname", c.Database!, "--no-password" })
        {
            start.ArgumentList.Add(argument);
        }
        if (!string.IsNullOrEmpty(c.Password)) start.Environment["PGPASSWORD"] = c.Password;
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"pg_dump: {await stderr}");
        var dump = await stdout;
        Assert.Contains("CREATE TABLE public.seeker_identity", dump);
        return dump;
    }
}
