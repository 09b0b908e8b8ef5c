using System.Net;
using Dapper;
using JobMatch.Matching;
using JobMatch.MatchingContract;
using JobMatch.Notifications;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Notifications;
using JobMatch.Tests.Vacancies;

namespace JobMatch.Tests.BackgroundJobs;

/// <summary>
/// The offer e-mail is written in the transaction that moves a match to 'invited', only for a seeker with an active
/// notifications consent and an e-mail address; its address is read when sending, so erasure in between cancels it.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OfferNotificationTests(PostgresFixture database)
{
    [Fact]
    public async Task Invite_SendsOfferToSeeker_WhenSeekerConsentsToNotifications()
    {
        await using var smtp = TestSmtpServer.Start();
        await using var host = new OutboxTestHost(database, smtp);
        var (caseWorker, _) = await DomainJobsData.AgencyAsync(host.App);
        var seeker = await DomainJobsData.SeekerAsync(host.App, caseWorker, notifications: true);
        var matchId = await ShownMatchAsync(seeker.Id, "Inani Garments Ltd");

        Assert.True(await InviteAsync(host, matchId));
        await host.DispatchAsync();

        var offer = Assert.Single(smtp.Received, m => m.To.Mailboxes.Any(a => a.Address == seeker.Canaries.Email));
        Assert.Equal("JobMatch-এ আপনার জন্য একটি চাকরির প্রস্তাব এসেছে", offer.Subject); // registered with Bangla
        Assert.Contains("Inani Garments Ltd", offer.TextBody);
        Assert.Contains("দর্জি", offer.TextBody);
        Assert.Contains("মাসে 13,000 টাকা", offer.TextBody);
        Assert.Contains("উখিয়া", offer.TextBody);
        Assert.DoesNotContain(seeker.Canaries.Name, offer.TextBody);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var args = await connection.ExecuteScalarAsync<string>(
            "SELECT template_args::text FROM outbox_message WHERE dedupe_key = @key", new { key = $"seeker_offer:{matchId}" });
        Assert.DoesNotContain(seeker.Canaries.Email, args);
    }

    [Fact]
    public async Task Invite_QueuesNothing_WhenSeekerHasNoNotificationsConsent()
    {
        await using var host = new OutboxTestHost(database, smtp: null);
        var (caseWorker, _) = await DomainJobsData.AgencyAsync(host.App);
        var seeker = await DomainJobsData.SeekerAsync(host.App, caseWorker, notifications: false);
        var matchId = await ShownMatchAsync(seeker.Id, "Sea Pearl Hotel");

        Assert.False(await InviteAsync(host, matchId));

        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Equal("invited", await connection.ExecuteScalarAsync<string>("SELECT status FROM match WHERE id = @matchId", new { matchId }));
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM outbox_message WHERE recipient_kind = 'seeker' AND recipient_id = @id", new { id = seeker.Id.ToString() }));
    }

    [Fact]
    public async Task Offer_IsCancelledAndNotSent_WhenSeekerIsErasedBeforeSending()
    {
        await using var smtp = TestSmtpServer.Start();
        await using var host = new OutboxTestHost(database, smtp);
        var (caseWorker, _) = await DomainJobsData.AgencyAsync(host.App);
        var seeker = await DomainJobsData.SeekerAsync(host.App, caseWorker, notifications: true);
        var matchId = await ShownMatchAsync(seeker.Id, "Cox Fish Ltd");
        Assert.True(await InviteAsync(host, matchId));

        Assert.Equal(HttpStatusCode.NoContent, (await caseWorker.DeleteAsync($"/api/casework/seekers/{seeker.Reference}")).StatusCode);
        await host.DispatchAsync();

        Assert.DoesNotContain(smtp.Received, m => m.To.Mailboxes.Any(a => a.Address == seeker.Canaries.Email));
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Equal(OutboxStatus.Cancelled, await connection.ExecuteScalarAsync<string>(
            "SELECT status FROM outbox_message WHERE dedupe_key = @key", new { key = $"seeker_offer:{matchId}" }));
    }

    [Fact]
    public async Task RefusedOffer_TellsSeekersCaseWorkers_ByReferenceOnly_WhenServerAnswers550()
    {
        await using var smtp = TestSmtpServer.Start();
        await using var host = new OutboxTestHost(database, smtp);
        var (caseWorker, agencyId) = await DomainJobsData.AgencyAsync(host.App);
        var seeker = await DomainJobsData.SeekerAsync(host.App, caseWorker, notifications: true);
        smtp.Script(seeker.Canaries.Email, 550);
        var matchId = await ShownMatchAsync(seeker.Id, "Hill View Resort");
        Assert.True(await InviteAsync(host, matchId));

        await host.DispatchAsync(); // refused: failed permanently, the case workers' message is written
        await host.DispatchAsync(); // which is sent

        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Equal(OutboxStatus.FailedPermanent, await connection.ExecuteScalarAsync<string>(
            "SELECT status FROM outbox_message WHERE dedupe_key = @key", new { key = $"seeker_offer:{matchId}" }));
        var caseWorkerId = await connection.ExecuteScalarAsync<Guid>(
            "SELECT id FROM app_user WHERE organisation_id = @agencyId AND role = 'case_worker'", new { agencyId });
        var caseWorkerAddress = (await TestUsers.FindAsync(host.Services, caseWorkerId)).Email;
        var told = Assert.Single(smtp.Received, m => m.To.Mailboxes.Any(a => a.Address == caseWorkerAddress));
        Assert.Contains(seeker.Reference, told.TextBody);
        foreach (var secret in seeker.Canaries.All) Assert.DoesNotContain(secret, told.TextBody);
    }

    /// <summary>What the match flow does: the move and the offer in one transaction.</summary>
    private static async Task<bool> InviteAsync(OutboxTestHost host, long matchId)
    {
        var transitions = host.Services.CreateScope().ServiceProvider.GetRequiredService<MatchTransitions>();
        var offers = host.Services.GetRequiredService<OfferNotifications>();
        await using var connection = await host.App.Database.DataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        Assert.Equal(MatchTransitions.Outcome.Moved, await transitions.MoveAsync(connection, tx, matchId,
            new MatchTransitions.Change(MatchStatus.Invited, null, "employer"), CancellationToken.None));
        var queued = await offers.EnqueueOfferAsync(connection, tx, matchId, CancellationToken.None);
        await tx.CommitAsync();
        return queued;
    }

    /// <summary>A vacancy of a new employer named <paramref name="employerName"/> in Ukhia (Tailor / দর্জি, BDT 13,000) and a shown match to it.</summary>
    private async Task<long> ShownMatchAsync(long seekerId, string employerName)
    {
        var employerId = await BoardTestData.CreateEmployerAsync(database.DataSource);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("UPDATE organisation SET name = @employerName WHERE id = @employerId", new { employerName, employerId });
        var vacancyId = await BoardTestData.InsertVacancyAsync(database.DataSource, employerId, "Tailor", titleBn: "দর্জি");
        return await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO match (vacancy_id, seeker_id, status, rank, score, ranker, explanation)
            VALUES (@vacancyId, @seekerId, 'shown', 1, 1, 'rule', '{}') RETURNING id
            """, new { vacancyId, seekerId });
    }
}
