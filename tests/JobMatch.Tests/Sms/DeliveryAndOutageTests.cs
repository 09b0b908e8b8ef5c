using System.Net;
using JobMatch.Notifications;
using JobMatch.Sms;

namespace JobMatch.Tests.Sms;

/// <summary>
/// Delivery reports through the real callback address (the fake SMSC's own reports, and reports sent as Kannel
/// sends them), and a gateway outage: SMS wait with backoff, /health/ready says degraded, and when the gateway is
/// back every message arrives exactly once.
/// </summary>
[Collection(KannelCollection.Name)]
public sealed class DeliveryAndOutageTests(KannelFixture fixture)
{
    private readonly SmsWorld _world = new(fixture);

    private async Task<HttpStatusCode> ReportAsync(Guid id, int status)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{fixture.Gateway.AppPort}/") };
        return (await http.GetAsync($"sms/dlr?id={id}&key={fixture.Gateway.Secret}&status={status}")).StatusCode;
    }

    private Task<string?> DeliveryAsync(Guid id) => _world.ScalarAsync<string?>("SELECT delivery FROM outbox_message WHERE id = @id", new { id });

    private async Task<Guid> SentSmsAsync(long seekerId)
    {
        var id = Guid.CreateVersion7();
        await _world.ExecuteAsync(
            """
            INSERT INTO outbox_message (id, kind, recipient_kind, recipient_id, template, template_args, channel, status, attempts, sent_at, finished_at)
            VALUES (@id, 'sms_retention_checkin', 'seeker', @recipient, 'sms_retention_checkin', '{"checkinId":1}', 'sms', 'sent', 1, now(), now())
            """, new { id, recipient = seekerId.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        return id;
    }

    [KannelFact]
    public async Task FailedReport_MarksTheSmsFailed_AndAlertsTheCaseWorker_AndOutOfOrderReportsNeverDowngrade()
    {
        var invited = await _world.InvitedAsync();
        await _world.DispatchSmsAsync();
        var offerId = await _world.ScalarAsync<Guid>("SELECT id FROM outbox_message WHERE channel = 'sms' AND dedupe_key = @key", new { key = $"sms_offer:{invited.MatchId}" });
        // The fake SMSC reports acceptance and delivery by itself, through the dlr-url the send carried.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await DeliveryAsync(offerId) != "delivered" && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.Equal("delivered", await DeliveryAsync(offerId));
        Assert.Equal(HttpStatusCode.OK, await ReportAsync(offerId, 8)); // a late "accepted by the SMSC"
        Assert.Equal("delivered", await DeliveryAsync(offerId));
        Assert.Equal(HttpStatusCode.OK, await ReportAsync(offerId, 2)); // a contradicting late failure
        Assert.Equal("delivered", await DeliveryAsync(offerId));

        var failing = await SentSmsAsync(invited.Seeker.Id);
        Assert.Equal(HttpStatusCode.OK, await ReportAsync(failing, 8));
        Assert.Equal("smsc_accepted", await DeliveryAsync(failing));
        Assert.Equal(HttpStatusCode.OK, await ReportAsync(failing, 2));
        Assert.Equal(HttpStatusCode.OK, await ReportAsync(failing, 2)); // repeated: one alert only
        Assert.Equal(HttpStatusCode.OK, await ReportAsync(failing, 1));
        Assert.Equal("failed", await DeliveryAsync(failing));
        Assert.Equal(OutboxStatus.FailedPermanent, await _world.ScalarAsync<string>("SELECT status FROM outbox_message WHERE id = @failing", new { failing }));
        var alerts = await _world.ScalarAsync<long>(
            "SELECT count(*) FROM outbox_message WHERE recipient_kind = 'user' AND recipient_id = @user AND template = 'delivery_failed' AND dedupe_key LIKE @key",
            new { user = invited.Worker.UserId.ToString(), key = $"delivery_failed:{failing}:%" });
        Assert.Equal(1L, alerts);
        Assert.Equal(HttpStatusCode.NotFound, await ReportAsync(Guid.NewGuid(), 1));
    }

    [KannelFact]
    public async Task GatewayDown_SmsWaitAndHealthIsDegraded_ThenEachArrivesExactlyOnce_WhenItReturns()
    {
        var (_, seeker) = await _world.SeekerAsync();
        var phone = SmsWorld.FakePhone(seeker.Canaries.Phone);
        await fixture.Gateway.StopAsync();
        try
        {
            var outbox = fixture.App.Services.GetRequiredService<Outbox>();
            await using (var connection = await fixture.Database.DataSource.OpenConnectionAsync())
            await using (var tx = await connection.BeginTransactionAsync())
            {
                for (var i = 0; i < 3; i++)
                {
                    await outbox.EnqueueAsync(connection, tx, NewOutboxMessage.Sms(SmsTemplates.Checkin, RecipientKinds.Seeker,
                        seeker.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), new SmsCheckinArgs(i), $"test-outage:{Guid.NewGuid()}"), CancellationToken.None);
                }
                await tx.CommitAsync();
            }
            var down = await _world.DispatchSmsAsync();
            Assert.Equal(0, down.Sent);
            Assert.Equal(3, down.Retrying);
            Assert.Equal(3L, await _world.ScalarAsync<long>(
                "SELECT count(*) FROM outbox_message WHERE recipient_id = @id AND channel = 'sms' AND status = 'pending' AND last_error LIKE 'gateway:%' AND next_attempt_at > now()",
                new { id = seeker.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
            var health = await fixture.Web.CreateClient().GetStringAsync("/health/ready");
            Assert.Matches("\"sms\":\\{\"status\":\"Degraded\"", health);
        }
        finally
        {
            await fixture.Gateway.RestartAsync();
        }
        await _world.ExecuteAsync("UPDATE outbox_message SET next_attempt_at = now() WHERE recipient_id = @id AND status = 'pending'",
            new { id = seeker.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal(3, (await _world.DispatchSmsAsync()).Sent);
        Assert.Equal(0, (await _world.DispatchSmsAsync()).Sent);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (fixture.Gateway.CountTo(phone) < 3 && DateTime.UtcNow < deadline) await Task.Delay(100);
        await Task.Delay(500); // a duplicate would arrive right behind
        Assert.Equal(3, fixture.Gateway.CountTo(phone));
        Assert.All(fixture.Gateway.Messages().Where(m => m.To == phone), m => Assert.Contains("আশা করি নতুন কাজ ভালো চলছে", m.Text));
        Assert.DoesNotContain("Degraded", await fixture.Web.CreateClient().GetStringAsync("/health/ready"));
    }
}
