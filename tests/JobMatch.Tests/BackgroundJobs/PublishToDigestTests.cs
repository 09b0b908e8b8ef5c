using Dapper;
using JobMatch.BackgroundJobs;
using JobMatch.Tests.Faults;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Notifications;
using MimeKit;

namespace JobMatch.Tests.BackgroundJobs;

/// <summary>
/// Issue 6 acceptance: publishing a vacancy through the API leads, through the app's own Hangfire server, to stored
/// proposals and one digest e-mail at the SMTP server, in the employer's language.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PublishToDigestTests(PostgresFixture database, Xunit.Abstractions.ITestOutputHelper output)
{
    [Theory]
    [InlineData("en", "New candidates for your vacancy", "{0} new candidates have been proposed")]
    [InlineData("bn", "আপনার শূন্যপদের জন্য নতুন প্রার্থী", "{0} জন নতুন প্রার্থী")]
    public async Task Publish_LeadsToProposalsAndOneDigestInEmployerLanguage_ThroughHangfire(string language, string subject, string countSentence)
    {
        await using var smtp = TestSmtpServer.Start();
        var settings = TwoHostsTests.ServerSettings();
        settings["BackgroundJobs:WorkerCount"] = "4";
        settings["BackgroundJobs:Schedules:process-vacancy-events"] = RecurringJobs.All.Single(s => s.Id == "process-vacancy-events").DefaultCron;
        settings["BackgroundJobs:Schedules:dispatch-outbox"] = RecurringJobs.All.Single(s => s.Id == "dispatch-outbox").DefaultCron;
        await DomainJobsData.ClearHangfireQueueAsync(database.DataSource);
        await using var host = new OutboxTestHost(database, smtp, settings);
        var app = host.App;
        var (caseWorker, _) = await DomainJobsData.AgencyAsync(app);
        for (var i = 0; i < 3; i++) await DomainJobsData.SeekerAsync(app, caseWorker, notifications: false);
        var (reviewingCaseWorker, _) = await DomainJobsData.AgencyAsync(app, requiresReview: true);
        var reviewed = await DomainJobsData.SeekerAsync(app, reviewingCaseWorker, notifications: false);
        var (employer, employerId, email) = await DomainJobsData.EmployerAsync(app, language);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var vacancyId = await DomainJobsData.PublishAsync(employer, "dj" + Guid.NewGuid().ToString("N")[..8]);

        await WaitForAsync(() => smtp.Received.Where(m => m.To.Mailboxes.Any(a => a.Address == email)).ToList(), TimeSpan.FromSeconds(120));
        output.WriteLine($"Publish request to digest at the SMTP server: {clock.ElapsedMilliseconds} ms");
        // Not a fixed pause for duplicates to arrive: wait (bounded) until nothing left could send one. The vacancy's
        // events are processed (its jobs are enqueued in that transaction), its proposal and digest jobs are finished,
        // and no message to the employer is still pending: a second digest would have been sent before all that.
        await FaultWorld.WaitUntilAsync(() => SettledAsync(vacancyId, employerId), TimeSpan.FromSeconds(60),
            "the vacancy's jobs and the employer's messages finished");
        var received = Assert.Single(smtp.Received, m => m.To.Mailboxes.Any(a => a.Address == email));
        Assert.Equal(subject, received.Subject);
        Assert.Equal(language, received.Body!.Headers[HeaderId.ContentLanguage]);
        Assert.Contains($"/employer/vacancies/{vacancyId}/shortlist", received.TextBody);

        await using var connection = await database.DataSource.OpenConnectionAsync();
        var matches = (await connection.QueryAsync<(long SeekerId, string Status, bool Notified)>(
            "SELECT seeker_id, status, employer_notified_at IS NOT NULL FROM match WHERE vacancy_id = @vacancyId", new { vacancyId })).ToList();
        var shown = matches.Where(m => m.Status == "shown").ToList();
        Assert.True(shown.Count >= 3, $"{shown.Count} shown");
        Assert.All(shown, m => Assert.True(m.Notified));
        // Awaiting a case worker's review: stored, but neither counted nor marked.
        Assert.Contains(matches, m => m.SeekerId == reviewed.Id && m.Status == "proposed" && !m.Notified);
        Assert.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, countSentence, shown.Count), received.TextBody);
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM vacancy_event WHERE vacancy_id = @vacancyId AND processed_at IS NULL", new { vacancyId }));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM outbox_message WHERE recipient_kind = 'employer' AND recipient_id = @id", new { id = employerId.ToString() }));
    }

    private async Task<bool> SettledAsync(long vacancyId, Guid employerId)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>(
            """
            SELECT NOT EXISTS (SELECT 1 FROM vacancy_event WHERE vacancy_id = @vacancyId AND processed_at IS NULL)
               AND NOT EXISTS (SELECT 1 FROM hangfire.job j
                               WHERE (j.invocationdata::text LIKE '%ProposeMatchesForVacancy%' OR j.invocationdata::text LIKE '%SendEmployerDigests%')
                                 AND (j.arguments::jsonb ->> 0) = @vacancy
                                 AND coalesce(j.statename, '') NOT IN ('Succeeded', 'Failed', 'Deleted'))
               AND NOT EXISTS (SELECT 1 FROM outbox_message
                               WHERE recipient_kind = 'employer' AND recipient_id = @employer AND status IN ('pending', 'sending'))
            """,
            new { vacancyId, vacancy = vacancyId.ToString(System.Globalization.CultureInfo.InvariantCulture), employer = employerId.ToString() });
    }

    private static async Task<List<MimeMessage>> WaitForAsync(Func<List<MimeMessage>> received, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (received() is { Count: > 0 } found) return found;
            await Task.Delay(250);
        }
        Assert.Fail($"No digest within {timeout.TotalSeconds} s");
        return [];
    }
}
