using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Dapper;
using JobMatch.Notifications;
using JobMatch.Sms;
using JobMatch.Tests.Matching;
using JobMatch.Tests.Seekers;

namespace JobMatch.Tests.Sms;

/// <summary>
/// Test data for the SMS channel on top of <see cref="FlowWorld"/>: a seeker registered with a phone (Bangla), who
/// accepts notifications, proposed and approved for an employer's vacancy, and the employer's invitation by the page.
/// </summary>
internal sealed partial class SmsWorld(KannelFixture fixture)
{
    public FlowWorld Flow { get; } = new(fixture.Web, fixture.Database);

    public sealed record Invited(FlowWorld.CaseWorker Worker, FlowWorld.Seeker Seeker, string Phone, HttpClient Employer, string CandidatePath,
        long VacancyId, long MatchId);

    /// <summary>The phone number as fakesmsc shows it (international, without '+').</summary>
    public static string FakePhone(string phone) => phone.TrimStart('+');

    /// <summary>A seeker with a phone and an e-mail address whose notifications consent names <paramref name="channels"/> (default SMS and e-mail).</summary>
    public async Task<(FlowWorld.CaseWorker Worker, FlowWorld.Seeker Seeker)> SeekerAsync(string[]? channels = null)
    {
        var worker = await Flow.CaseWorkerAsync();
        var seeker = await Flow.SeekerAsync(worker);
        var grant = await worker.Client.PostAsJsonAsync($"/api/casework/seekers/{seeker.Reference}/consents",
            new { purpose = "notifications", method = "in_person", channels = channels ?? ["sms", "email"] });
        Assert.Equal(HttpStatusCode.OK, grant.StatusCode);
        return (worker, seeker);
    }

    /// <summary>A seeker invited by an employer through the candidate page (the offer SMS is queued, not yet sent).</summary>
    public async Task<Invited> InvitedAsync(string[]? channels = null)
    {
        var (worker, seeker) = await SeekerAsync(channels);
        var employerId = await Flow.Sql.EmployerAsync();
        var (employer, _) = await fixture.Web.SignedInClientAsync(JobMatch.Identity.Roles.Employer, employerId, language: "bn");
        var vacancy = await Flow.VacancyAsync(employerId);
        await using (var c = await fixture.Database.DataSource.OpenConnectionAsync())
        {
            await c.ExecuteAsync("UPDATE vacancy SET title_bn = 'দর্জি' WHERE id = @vacancy", new { vacancy });
        }
        var matchId = await Flow.ProposeAndApproveAsync(vacancy, worker, seeker);
        var candidatePath = $"/employer/vacancies/{vacancy}/candidates/{await Flow.HandleAsync(vacancy, seeker.Id)}";
        var card = await employer.GetStringAsync(candidatePath);
        var invite = await employer.PostAsync($"{candidatePath}?handler=Invite", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = JobMatch.Tests.Infrastructure.JobMatchApp.FormToken(card),
        }));
        // On a failure, say why: the app's own error log lines (a 500 once seen only in a loaded whole-suite run).
        Assert.True(invite.StatusCode == HttpStatusCode.Redirect, $"invite answered {(int)invite.StatusCode}: " +
            string.Join(Environment.NewLine, fixture.WebLogs.Lines.Where(l => l.Contains("Error", StringComparison.Ordinal) || l.Contains("Exception", StringComparison.Ordinal)).TakeLast(5)));
        return new Invited(worker, seeker, FakePhone(seeker.Canaries.Phone), employer, candidatePath, vacancy, matchId);
    }

    public async Task<DispatchResult> DispatchSmsAsync()
    {
        await using var scope = fixture.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SmsDispatcher>().DispatchDueAsync(CancellationToken.None);
    }

    /// <summary>Sends the due e-mails (no SMTP server here: they become .eml files in the data folder).</summary>
    public async Task<DispatchResult> DispatchEmailAsync()
    {
        await using var scope = fixture.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<OutboxDispatcher>().DispatchDueAsync(CancellationToken.None);
    }

    /// <summary>The answer code in an offer text ("হ্যাঁ ৪৮২১" or "YES 4821"), in ASCII digits.</summary>
    public static string CodeIn(string offerText)
    {
        var match = OfferCode().Match(offerText);
        Assert.True(match.Success, "No answer code in: " + offerText);
        return string.Concat(match.Groups[1].Value.Select(c => c is >= '০' and <= '৯' ? (char)('0' + (c - '০')) : c));
    }

    public static string Bangla(string digits) => SmsTemplates.Digits(digits, "bn");

    [GeneratedRegex("(?:হ্যাঁ|YES) ([0-9০-৯]{4})")]
    private static partial Regex OfferCode();

    public async Task<T> ScalarAsync<T>(string sql, object args)
    {
        await using var c = await fixture.Database.DataSource.OpenConnectionAsync();
        return (await c.ExecuteScalarAsync<T>(sql, args))!;
    }

    public async Task ExecuteAsync(string sql, object args)
    {
        await using var c = await fixture.Database.DataSource.OpenConnectionAsync();
        await c.ExecuteAsync(sql, args);
    }

    /// <summary>Sends a line from a phone and waits for the one reply it gets.</summary>
    public async Task<string> ReplyToAsync(string from, string text)
    {
        var before = fixture.Gateway.CountTo(from);
        await fixture.Gateway.InjectAsync(from, text);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (fixture.Gateway.CountTo(from) <= before)
        {
            Assert.True(DateTime.UtcNow < deadline, $"No reply to '{text}'.");
            await Task.Delay(100);
        }
        return fixture.Gateway.Messages().Last(m => m.To.TrimStart('+') == from).Text;
    }
}
