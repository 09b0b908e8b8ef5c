using System.Text.Json;
using JobMatch.Identity;
using JobMatch.Notifications;
using JobMatch.Notifications.Templates;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Matching;
using JobMatch.Tests.Notifications;
using Xunit.Abstractions;

namespace JobMatch.Tests.Faults;

/// <summary>
/// <c>kill -9</c> of the app (a child process) in the middle of background work, then a restart (security.md F1, F2),
/// and a job that outlives Hangfire's invisibility timeout (F11). The kill lands where a trigger the test installs
/// in its own database (<see cref="DatabasePause"/>) paused the work.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class AppCrashTests(PostgresFixture database, ITestOutputHelper output)
{
    private const int Vacancies = 5;
    private const int Seekers = 6;

    [Fact]
    public async Task Proposals_AreWrittenOnceWithOneDigestEach_WhenAppIsKilledMidProposal()
    {
        await using var world = await FaultWorld.CreateAsync(database);
        await using var smtp = TestSmtpServer.Start();
        var employerId = await world.EmployerAsync(contactEmail: $"employer-{Guid.NewGuid():N}@example.org");
        var vacancyIds = await PublishedWorldAsync(world, employerId, Vacancies, Seekers);

        // Run 1: one worker; the third proposal batch pauses after writing its matches, before its commit. Kill there.
        await DatabasePause.PauseProposalBatchAsync(world, nth: 3, TimeSpan.FromMinutes(10));
        var paused = world.AppSettings(smtp, extra: new Dictionary<string, string>
        {
            ["BackgroundJobs:WorkerCount"] = "1",
        });
        long pausedVacancy;
        await using (var app = await AppProcess.StartAsync(paused, output))
        {
            var on = await DatabasePause.WaitUntilPausedAsync(world, TimeSpan.FromSeconds(60), app);
            pausedVacancy = long.Parse(on, System.Globalization.CultureInfo.InvariantCulture);
            app.Kill();
        }
        await WaitUntilRolledBackAsync(world);
        await DatabasePause.RemoveAsync(world);
        var committedBeforeKill = await world.ScalarAsync<long>("SELECT count(DISTINCT vacancy_id) FROM match");
        var pausedRows = await world.ScalarAsync<long>("SELECT count(*) FROM match WHERE vacancy_id = @pausedVacancy", new { pausedVacancy });
        var withoutEvent = await world.ScalarAsync<long>("SELECT count(*) FROM match m WHERE NOT EXISTS (SELECT 1 FROM match_event e WHERE e.match_id = m.id)");
        output.WriteLine($"kill -9 during the proposals for vacancy {pausedVacancy}: {committedBeforeKill} vacancies' proposals committed, {pausedRows} rows of the paused batch visible, {withoutEvent} matches without their event");
        Assert.Equal(0, pausedRows);      // the batch was one transaction: nothing half-written
        Assert.Equal(0, withoutEvent);

        // Run 2: no hook. The killed job is fetched again after the invisibility timeout; everything completes.
        await using (var app = await AppProcess.StartAsync(world.AppSettings(smtp), output))
        {
            await FaultWorld.WaitUntilAsync(async () =>
                await world.ScalarAsync<long>("SELECT count(DISTINCT vacancy_id) FROM match") == Vacancies
                && await world.ScalarAsync<long>("SELECT count(*) FROM match WHERE status = 'shown' AND employer_notified_at IS NULL") == 0
                && await world.ScalarAsync<long>("SELECT count(*) FROM outbox_message WHERE status IN ('pending', 'sending')") == 0
                && (await ProposalJobsAsync(world)).All(j => j.State == "Succeeded")
                && await world.ScalarAsync<long>(
                    "SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%SendEmployerDigests%' AND statename <> 'Succeeded'") == 0,
                TimeSpan.FromSeconds(60), "every vacancy proposed, digested and mailed after the restart", app);
        }

        var matches = await world.ScalarAsync<long>("SELECT count(*) FROM match");
        var pairs = await world.ScalarAsync<long>("SELECT count(DISTINCT (vacancy_id, seeker_id)) FROM match");
        var firstEvents = await world.ScalarAsync<long>("SELECT count(*) FROM match_event WHERE from_status IS NULL");
        var inDigests = await world.ScalarAsync<long>(
            """
            SELECT coalesce(sum((v ->> 'newCandidates')::int), 0)
            FROM outbox_message o, jsonb_array_elements(o.template_args -> 'vacancies') v
            WHERE o.template = @template
            """, new { template = EmailTemplates.EmployerDigest.Name });
        var digestIds = await world.QueryAsync<Guid>("SELECT id FROM outbox_message WHERE template = @template", new { template = EmailTemplates.EmployerDigest.Name });
        var received = smtp.Received.Select(m => m.MessageId ?? "").ToList();
        var proposalJobs = await ProposalJobsAsync(world);
        var pausedJob = proposalJobs.Single(j => j.VacancyId == pausedVacancy);
        output.WriteLine($"after restart: {matches} proposals for {pairs} (vacancy, seeker) pairs, {firstEvents} 'proposed' events, " +
            $"{inDigests} proposals in {digestIds.Count} digests, {received.Count} e-mails received ({received.Count - received.Distinct().Count()} duplicates); " +
            $"the killed proposal job ran {pausedJob.Runs} times and is {pausedJob.State}");

        Assert.Equal(Vacancies * Seekers, matches);
        Assert.Equal(matches, pairs);
        Assert.Equal(matches, firstEvents);
        Assert.Equal(matches, inDigests);                // each proposal told to the employer exactly once
        Assert.All(digestIds, id => Assert.Contains(MailComposer.MessageIdFor(id), received));
        Assert.All(proposalJobs, j => Assert.Equal("Succeeded", j.State));
        Assert.Equal(vacancyIds.Order(), proposalJobs.Select(j => j.VacancyId).Distinct().Order());
        Assert.Equal(2, pausedJob.Runs);                 // the killed run, and one more
    }

    [Fact]
    public async Task EveryEmail_IsDelivered_AndOnlyCrashWindowMessagesTwice_WhenAppIsKilledMidDispatch()
    {
        const int messages = 24;
        await using var world = await FaultWorld.CreateAsync(database);
        await using var smtp = TestSmtpServer.Start();
        var ids = new List<Guid>();
        for (var i = 0; i < messages; i++)
        {
            var (userId, _) = await world.UserAsync(Roles.JobSeeker, null, $"f2-{Guid.NewGuid():N}@example.org");
            ids.Add(await world.NotifyAsync(userId));
        }
        // One sender, batches of 8, each send recorded at once: the crash window is exactly one message.
        var dispatch = new Dictionary<string, string>
        {
            ["Notifications:Senders"] = "1",
            ["Notifications:BatchSize"] = "8",
            ["Notifications:MarkSentEvery"] = "1",
            ["BackgroundJobs:WorkerCount"] = "1", // one dispatch run at a time: the kill lands in exactly one crash window
        };

        var pausedOn = new List<Guid>();
        foreach (var after in new[] { 3, 5 })
        {
            await DatabasePause.PauseBeforeRecordingSentAsync(world, after);
            await using var app = await AppProcess.StartAsync(world.AppSettings(smtp, extra: dispatch), output);
            pausedOn.Add(Guid.Parse(await DatabasePause.WaitUntilPausedAsync(world, TimeSpan.FromSeconds(60), app)));
            app.Kill();
            await WaitUntilRolledBackAsync(world);
        }
        await DatabasePause.RemoveAsync(world);
        var sentBeforeRestart = await world.ScalarAsync<long>("SELECT count(*) FROM outbox_message WHERE status = 'sent'");
        await using (var app = await AppProcess.StartAsync(world.AppSettings(smtp, extra: dispatch), output))
        {
            await FaultWorld.WaitUntilAsync(async () => await world.ScalarAsync<long>("SELECT count(*) FROM outbox_message WHERE status = 'sent'") == messages,
                TimeSpan.FromSeconds(60), "every message sent after the restarts", app);
        }

        var received = smtp.Received.Select(m => m.MessageId ?? "").ToList();
        var copies = received.GroupBy(id => id).ToDictionary(g => g.Key, g => g.Count());
        var lost = ids.Count(id => !copies.ContainsKey(MailComposer.MessageIdFor(id)));
        var duplicated = copies.Where(c => c.Value > 1).Select(c => c.Key).ToList();
        var duplicates = received.Count - copies.Count;
        output.WriteLine($"{pausedOn.Count} kill -9 during dispatch ({sentBeforeRestart} recorded sent before the last restart); {messages} messages, " +
            $"{received.Count} received, {lost} lost, {duplicates} duplicates ({(double)duplicates / messages:P1}), all of them accepted by SMTP in the crash window");

        Assert.Equal(0, lost);
        Assert.Equal(pausedOn.Count, duplicates);       // one per crash: the message accepted but not yet recorded
        Assert.Equal(pausedOn.Select(MailComposer.MessageIdFor).Order(), duplicated.Order());
        Assert.All(copies.Values, n => Assert.InRange(n, 1, 2));
    }

    [Fact]
    public async Task JobLongerThanInvisibilityTimeout_RunsOnce_WhenInvisibilityIsSliding()
    {
        await using var world = await FaultWorld.CreateAsync(database);
        var employerId = await world.EmployerAsync();
        await PublishedWorldAsync(world, employerId, vacancies: 1, seekers: 3);

        // The proposal job sleeps 1.5 × the invisibility timeout with a second worker idle beside it.
        await DatabasePause.PauseProposalBatchAsync(world, nth: 1, TimeSpan.FromSeconds(12));
        await using (var app = await AppProcess.StartAsync(world.AppSettings(extra: new Dictionary<string, string>
        {
            ["BackgroundJobs:InvisibilityTimeout"] = "00:00:08",
        }), output))
        {
            await DatabasePause.WaitUntilResumedAsync(world, TimeSpan.FromSeconds(60), app);
            await FaultWorld.WaitUntilAsync(async () => (await ProposalJobsAsync(world)).All(j => j.State == "Succeeded"),
                TimeSpan.FromSeconds(30), "the long job finished", app);
            Assert.Equal(1, await DatabasePause.CountAsync(world)); // one batch wrote the proposals, and it was the paused one
        }

        var job = Assert.Single(await ProposalJobsAsync(world));
        var matches = await world.ScalarAsync<long>("SELECT count(*) FROM match");
        var firstEvents = await world.ScalarAsync<long>("SELECT count(*) FROM match_event WHERE from_status IS NULL");
        output.WriteLine($"a 12 s job with an 8 s invisibility timeout: {job.Runs} run(s), {matches} proposals, {firstEvents} 'proposed' events");
        Assert.Equal(1, job.Runs);
        Assert.Equal(3, matches);
        Assert.Equal(matches, firstEvents);
    }

    /// <summary>An agency without review, <paramref name="seekers"/> consenting tailors and that many published vacancies (events unprocessed).</summary>
    private static async Task<List<long>> PublishedWorldAsync(FaultWorld world, Guid employerId, int vacancies, int seekers)
    {
        var builder = new MatchingWorld(world.Db);
        var agency = await builder.AgencyAsync(requiresReview: false);
        for (var i = 0; i < seekers; i++) await builder.SeekerAsync(agency, [("GAR-001", 3)]);
        var ids = new List<long>();
        for (var i = 0; i < vacancies; i++)
        {
            var id = await builder.VacancyAsync(employerId, ("GAR-001", 1, true));
            await world.ScalarAsync<long>("INSERT INTO vacancy_event (kind, vacancy_id, employer_id) VALUES ('published', @id, @employerId) RETURNING id", new { id, employerId });
            ids.Add(id);
        }
        return ids;
    }

    private sealed record ProposalJob(long JobId, long VacancyId, string State, long Runs);

    /// <summary>The ProposeMatchesForVacancy jobs: vacancy (the first argument), state, and how often a worker started one (Processing states).</summary>
    private static async Task<List<ProposalJob>> ProposalJobsAsync(FaultWorld world) =>
        (await world.QueryAsync<(long Id, string Arguments, string State, long Runs)>(
            """
            SELECT j.id, j.arguments::text, j.statename,
                   (SELECT count(*) FROM hangfire.state s WHERE s.jobid = j.id AND s.name = 'Processing')
            FROM hangfire.job j WHERE j.invocationdata::text LIKE '%ProposeMatchesForVacancy%'
            """))
        .Select(j => new ProposalJob(j.Id, long.Parse(JsonSerializer.Deserialize<string[]>(j.Arguments)![0], System.Globalization.CultureInfo.InvariantCulture), j.State, j.Runs))
        .ToList();

    /// <summary>The killed app's paused session is gone: the database noticed the lost client and rolled its transaction back.</summary>
    private static Task WaitUntilRolledBackAsync(FaultWorld world) => FaultWorld.WaitUntilAsync(
        async () => await world.ScalarAsync<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'paused:%'") == 0,
        TimeSpan.FromSeconds(30), "the killed app's paused session ended");
}
