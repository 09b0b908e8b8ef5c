using Dapper;
using JobMatch.BackgroundJobs;
using JobMatch.Matching;
using JobMatch.MatchingContract;
using JobMatch.Notifications;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Notifications;
using JobMatch.Tests.Seekers;
using JobMatch.Tests.Vacancies;

namespace JobMatch.Tests.BackgroundJobs;

/// <summary>
/// Every domain job, run twice, leaves the database as one run left it (R27); and none of them, nor the sending of
/// what they queued, puts a seeker's name, phone or e-mail into a log line or a Hangfire job argument (R18).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DomainJobsTests(PostgresFixture database)
{
    private sealed record World(long VacancyId, long ExpiredVacancyId, IReadOnlyList<(long Id, string Reference, SeekerApi.Canaries Canaries)> Seekers, long InactiveSeekerId);

    private static Dictionary<string, string?> Settings() => new() { ["Logging:LogLevel:Default"] = "Trace" };

    [Fact]
    public async Task EveryDomainJob_LeavesTheSameState_WhenRunTwice()
    {
        await using var host = new OutboxTestHost(database, smtp: null, Settings());
        var world = await ArrangeAsync(host);
        var services = host.Services;
        var jobs = new (string Name, bool Changes, Func<Task> Run)[]
        {
            ("CloseExpiredVacancies", true, () => DomainJobsData.RunAsync<CloseExpiredVacancies>(services, j => j.RunAsync(CancellationToken.None))),
            ("ProcessVacancyEvents", true, () => DomainJobsData.RunAsync<ProcessVacancyEvents>(services, j => j.RunAsync(CancellationToken.None))),
            ("ProposeMatchesForVacancy", true, () => DomainJobsData.RunAsync<ProposeMatchesForVacancy>(services, j => j.RunAsync(world.VacancyId, CancellationToken.None))),
            ("ProposeMatchesForSeeker", false, () => DomainJobsData.RunAsync<ProposeMatchesForSeeker>(services, j => j.RunAsync(world.Seekers[0].Id, CancellationToken.None))),
            ("RematchAll", false, () => DomainJobsData.RunAsync<RematchAll>(services, j => j.RunAsync(CancellationToken.None))),
            ("SendEmployerDigests.ForVacancy", true, () => DomainJobsData.RunAsync<SendEmployerDigests>(services, j => j.ForVacancyAsync(world.VacancyId, CancellationToken.None))),
            ("SendEmployerDigests", false, () => DomainJobsData.RunAsync<SendEmployerDigests>(services, j => j.RunAsync(CancellationToken.None))),
            ("ScheduleRetentionCheckins", true, () => DomainJobsData.RunAsync<ScheduleRetentionCheckins>(services, j => j.RunAsync(CancellationToken.None))),
            ("SendRetentionCheckins", true, () => DomainJobsData.RunAsync<SendRetentionCheckins>(services, j => j.RunAsync(CancellationToken.None))),
            ("ExpireConsents", true, () => DomainJobsData.RunAsync<ExpireConsents>(services, j => j.RunAsync(CancellationToken.None))),
            ("AnonymiseInactiveSeekers", true, () => DomainJobsData.RunAsync<AnonymiseInactiveSeekers>(services, j => j.RunAsync(CancellationToken.None))),
            ("RetrainRankingModel", false, () => DomainJobsData.RunAsync<RetrainRankingModel>(services, j => j.RunAsync(CancellationToken.None))),
        };

        foreach (var (name, changes, run) in jobs)
        {
            var before = await DomainJobsData.SnapshotAsync(database.DataSource);
            await run();
            var once = await DomainJobsData.SnapshotAsync(database.DataSource);
            await run();
            var twice = await DomainJobsData.SnapshotAsync(database.DataSource);

            var differing = once.Where(t => twice[t.Key] != t.Value).Select(t => t.Key).ToList();
            Assert.True(differing.Count == 0, $"{name} run twice changed: {string.Join(", ", differing)}");
            if (changes) Assert.True(once.Any(t => before[t.Key] != t.Value), $"{name} changed nothing the first time: the test arranged nothing for it");
        }

        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Equal("closed", await connection.ExecuteScalarAsync<string>("SELECT status FROM vacancy WHERE id = @id", new { id = world.ExpiredVacancyId }));
        Assert.Equal("withdrawn", await connection.ExecuteScalarAsync<string>(
            "SELECT status FROM match WHERE vacancy_id = @id AND seeker_id = @seeker", new { id = world.ExpiredVacancyId, seeker = world.Seekers[1].Id }));
        Assert.Equal("erased", await connection.ExecuteScalarAsync<string>("SELECT status FROM seeker WHERE id = @id", new { id = world.InactiveSeekerId }));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM audit_log WHERE action = 'consent_expired_notifications' AND subject = @subject",
            new { subject = "seeker:" + world.Seekers[0].Reference }));
        var checkins = (await connection.QueryAsync<(int Months, string Status, bool Asked)>(
            """
            SELECT rc.months, rc.status, rc.employer_asked_at IS NOT NULL FROM retention_checkin rc JOIN match m ON m.id = rc.match_id
            WHERE m.seeker_id = @seeker ORDER BY rc.months
            """, new { seeker = world.Seekers[1].Id })).ToList();
        Assert.Equal([1, 3, 6], checkins.Select(c => c.Months));
        Assert.All(checkins, c => Assert.True(c.Asked));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM outbox_message WHERE template = 'retention_no_answer' AND recipient_kind = 'user' AND template_args->>'subjectReference' = @reference",
            new { reference = world.Seekers[0].Reference }));
    }

    [Fact]
    public async Task DomainJobsAndTheirMail_LogAndQueueNoCanary_WhenSeekersCarryCanaryIdentities()
    {
        var logs = new CapturingLoggerProvider();
        await using var host = new OutboxTestHost(database, smtp: null, Settings(), services => services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs));
        var world = await ArrangeAsync(host);
        var services = host.Services;
        var seeker = world.Seekers[2]; // consents to notifications: gets an offer, so the sender reads the address

        await DomainJobsData.RunAsync<CloseExpiredVacancies>(services, j => j.RunAsync(CancellationToken.None));
        await DomainJobsData.RunAsync<ProcessVacancyEvents>(services, j => j.RunAsync(CancellationToken.None));
        await DomainJobsData.RunAsync<ProposeMatchesForVacancy>(services, j => j.RunAsync(world.VacancyId, CancellationToken.None));
        await DomainJobsData.RunAsync<ProposeMatchesForSeeker>(services, j => j.RunAsync(seeker.Id, CancellationToken.None));
        await DomainJobsData.RunAsync<SendEmployerDigests>(services, j => j.ForVacancyAsync(world.VacancyId, CancellationToken.None));
        await DomainJobsData.RunAsync<ScheduleRetentionCheckins>(services, j => j.RunAsync(CancellationToken.None));
        await DomainJobsData.RunAsync<SendRetentionCheckins>(services, j => j.RunAsync(CancellationToken.None));
        await DomainJobsData.RunAsync<ExpireConsents>(services, j => j.RunAsync(CancellationToken.None));
        await DomainJobsData.RunAsync<AnonymiseInactiveSeekers>(services, j => j.RunAsync(CancellationToken.None));
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        {
            var matchId = await connection.ExecuteScalarAsync<long>(
                "SELECT id FROM match WHERE vacancy_id = @vacancyId AND seeker_id = @seekerId", new { vacancyId = world.VacancyId, seekerId = seeker.Id });
            await using var tx = await connection.BeginTransactionAsync();
            await using var scope = services.CreateAsyncScope();
            Assert.Equal(MatchTransitions.Outcome.Moved, await scope.ServiceProvider.GetRequiredService<MatchTransitions>().MoveAsync(
                connection, tx, matchId, new MatchTransitions.Change(MatchStatus.Invited, null, "employer"), CancellationToken.None));
            Assert.True(await services.GetRequiredService<OfferNotifications>().EnqueueOfferAsync(connection, tx, matchId, CancellationToken.None));
            await tx.CommitAsync();
        }
        var dispatched = await host.DispatchAsync();

        Assert.True(dispatched.Sent > 0);
        Assert.Contains(logs.Lines, l => l.Contains("Seeker " + seeker.Id, StringComparison.Ordinal)); // the capture works
        var secrets = world.Seekers.SelectMany(s => s.Canaries.All).ToList();
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(logs.Lines, l => l.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }
        await using var db = await database.DataSource.OpenConnectionAsync();
        var jobData = (await db.QueryAsync<string>("SELECT coalesce(invocationdata::text, '') || coalesce(arguments::text, '') FROM hangfire.job")).ToList();
        Assert.Contains(jobData, d => d.Contains(nameof(ProposeMatchesForSeeker), StringComparison.Ordinal));
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(jobData, d => d.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }
        var outbox = await db.QueryAsync<string>("SELECT row_to_json(m)::text FROM outbox_message m WHERE created_at > now() - interval '10 minutes'");
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(outbox, t => t.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }
    }

    /// <summary>
    /// Something for every job to do: a vacancy published through the API (an unprocessed event) with three canary
    /// seekers as candidates (the third consents to notifications), an open vacancy past its closing date with a shown
    /// match, a hire seven months ago, a check-in asked three weeks ago and unanswered, an expired notifications consent,
    /// and a seeker untouched for three years.
    /// </summary>
    private async Task<World> ArrangeAsync(OutboxTestHost host)
    {
        var app = host.App;
        var (caseWorker, agencyId) = await DomainJobsData.AgencyAsync(app);
        var seekers = new[]
        {
            await DomainJobsData.SeekerAsync(app, caseWorker, notifications: false),
            await DomainJobsData.SeekerAsync(app, caseWorker, notifications: false),
            await DomainJobsData.SeekerAsync(app, caseWorker, notifications: true),
        };
        var (employer, employerId, _) = await DomainJobsData.EmployerAsync(app, "en");
        var vacancyId = await DomainJobsData.PublishAsync(employer, "dj" + Guid.NewGuid().ToString("N")[..8]);
        var expired = await BoardTestData.InsertVacancyAsync(database.DataSource, employerId, "Cook", closing: BoardTestData.Today.AddDays(-2));
        var hiredVacancy = await BoardTestData.InsertVacancyAsync(database.DataSource, employerId, "Waiter");
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            INSERT INTO match (vacancy_id, seeker_id, status, rank, score, ranker, explanation) VALUES (@expired, @seeker, 'shown', 1, 1, 'rule', '{}');
            INSERT INTO match (vacancy_id, seeker_id, status, rank, score, ranker, explanation, hired_start_date)
            VALUES (@hiredVacancy, @seeker, 'hired', 1, 1, 'rule', '{}', current_date - interval '7 months');
            """, new { expired, hiredVacancy, seeker = seekers[1].Id });
        var earlierHire = await BoardTestData.InsertVacancyAsync(database.DataSource, employerId, "Cleaner");
        await connection.ExecuteAsync(
            """
            WITH m AS (
                INSERT INTO match (vacancy_id, seeker_id, status, rank, score, ranker, explanation, hired_start_date)
                VALUES (@earlierHire, @seeker, 'hired', 1, 1, 'rule', '{}', current_date - interval '40 days') RETURNING id)
            INSERT INTO retention_checkin (match_id, months, due_on, employer_asked_at)
            SELECT id, 1, current_date - 10, now() - interval '21 days' FROM m;
            INSERT INTO consent (seeker_id, purpose, method, recorded_by, granted_at, expires_at, channels)
            VALUES (@seeker, 'notifications', 'in_person', @agencyId, now() - interval '2 days', now() - interval '1 day', '{sms,email}');
            """, new { earlierHire, seeker = seekers[0].Id, agencyId });
        var inactive = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO seeker (reference, agency_id, created_at, updated_at, last_active_at)
            VALUES ('JS-' || upper(substr(md5(random()::text), 1, 6)), @agencyId, now() - interval '3 years', now() - interval '3 years', now() - interval '3 years')
            RETURNING id
            """, new { agencyId });
        return new World(vacancyId, expired, seekers, inactive);
    }
}
