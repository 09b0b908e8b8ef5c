using System.Collections.Concurrent;
using JobMatch.Identity;
using JobMatch.Notifications;
using JobMatch.Notifications.Templates;
using JobMatch.Tests.Infrastructure;
using Npgsql;

namespace JobMatch.Tests.Notifications;

/// <summary>
/// The hooks the seeker feature plugs into: a recipient resolver per recipient kind, and a follow-up when a message
/// to that kind failed for good (for seekers: tell their case worker). Shown here with stand-ins for the seeker tables.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DeliveryFailureFollowUpTests(PostgresFixture database)
{
    [Fact]
    public async Task PermanentFailure_TellsCaseWorkerThroughOutbox_WhenRecipientWasSeeker()
    {
        await using var smtp = TestSmtpServer.Start();
        var seekers = new StandInSeekers();
        await using var host = new OutboxTestHost(database, smtp, services: s =>
        {
            s.AddKeyedSingleton<IRecipientResolver>(RecipientKinds.Seeker, seekers);
            s.AddKeyedSingleton<IDeliveryFailureFollowUp>(RecipientKinds.Seeker, (sp, _) => new TellCaseWorker(sp.GetRequiredService<Outbox>(), seekers));
        });
        var seekerAddress = OutboxTestHost.CanaryAddress();
        var caseWorkerAddress = OutboxTestHost.CanaryAddress();
        var caseWorker = await host.CreateRecipientAsync(caseWorkerAddress, "bn", Roles.CaseWorker);
        var seekerId = Guid.NewGuid().ToString();
        seekers.Add(seekerId, new Recipient(seekerAddress, "bn"), caseWorker, "JS-" + seekerId[..6].ToUpperInvariant());
        smtp.Script(seekerAddress, 550);

        var offer = await host.EnqueueAsync(NewOutboxMessage.Create(EmailTemplates.SeekerOffer, RecipientKinds.Seeker, seekerId,
            new SeekerOfferArgs(1, "Inani Garments Ltd", "Tailor", 12_000, "Ukhia", "উখিয়া")));
        await host.DispatchAsync(); // the offer fails; the follow-up writes the case worker's message
        await host.DispatchAsync(); // which is sent

        Assert.Equal(OutboxStatus.FailedPermanent, (await host.RowAsync(offer)).Status);
        var toCaseWorker = Assert.Single(smtp.Received, m => m.To.Mailboxes.Any(a => a.Address == caseWorkerAddress));
        Assert.Contains("JS-" + seekerId[..6].ToUpperInvariant(), toCaseWorker.TextBody);
        Assert.Equal("একটি ই-মেইল পৌঁছানো যায়নি", toCaseWorker.Subject);
        Assert.DoesNotContain(seekerAddress, toCaseWorker.TextBody);
    }

    [Fact]
    public async Task Dispatch_LeavesMessageQueued_WhenNoResolverServesItsRecipientKind()
    {
        await using var smtp = TestSmtpServer.Start();
        // As if the employer feature had not registered its resolver (a new recipient kind deployed before its resolver).
        await using var host = new OutboxTestHost(database, smtp, services: services =>
        {
            foreach (var d in services.Where(d => d.IsKeyedService && Equals(d.ServiceKey, RecipientKinds.Employer) && d.ServiceType == typeof(IRecipientResolver)).ToList())
            {
                services.Remove(d);
            }
        });
        var id = await host.EnqueueAsync(NewOutboxMessage.Create(EmailTemplates.Generic, RecipientKinds.Employer, Guid.NewGuid().ToString(), new GenericNotificationArgs()));

        await host.DispatchAsync();

        var row = await host.RowAsync(id);
        Assert.Equal(OutboxStatus.Pending, row.Status); // kept, not lost, until a resolver exists
        Assert.Contains("no resolver", row.LastError);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await Dapper.SqlMapper.ExecuteAsync(connection, "DELETE FROM outbox_message WHERE id = @id", new { id }); // not to be retried by later tests
    }

    private sealed class StandInSeekers : IRecipientResolver
    {
        private readonly ConcurrentDictionary<string, (Recipient Recipient, Guid CaseWorker, string Reference)> _seekers = new();

        public void Add(string id, Recipient recipient, Guid caseWorker, string reference) => _seekers[id] = (recipient, caseWorker, reference);

        public (Guid CaseWorker, string Reference) CaseOf(string id) => (_seekers[id].CaseWorker, _seekers[id].Reference);

        public Task<IReadOnlyDictionary<string, Recipient>> ResolveAsync(NpgsqlConnection connection, IReadOnlyCollection<string> recipientIds, CancellationToken ct) =>
            Task.FromResult<IReadOnlyDictionary<string, Recipient>>(recipientIds.Where(_seekers.ContainsKey).ToDictionary(id => id, id => _seekers[id].Recipient));
    }

    private sealed class TellCaseWorker(Outbox outbox, StandInSeekers seekers) : IDeliveryFailureFollowUp
    {
        public async Task OnFailedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, FailedDelivery failed, CancellationToken ct)
        {
            var (caseWorker, reference) = seekers.CaseOf(failed.RecipientId);
            await outbox.EnqueueAsync(connection, transaction, NewOutboxMessage.Create(EmailTemplates.DeliveryFailed, RecipientKinds.User, caseWorker.ToString(),
                new DeliveryFailedArgs(failed.NotificationId, reference), dedupeKey: $"delivery-failed:{failed.NotificationId}"), ct);
        }
    }
}
