using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Parser;
using JobMatch.Notifications;

namespace JobMatch.Tests.Sms;

/// <summary>
/// Where a seeker's messages go is the notifications consent's choice, read when sending: e-mail only gets no SMS,
/// the case worker's relay gets neither (and the caseload's offers page says to tell them), and a choice changed
/// after the offer was queued sends the queued offer the new way. Real PostgreSQL, real Kannel with its fake SMSC.
/// Every seeker here has both a phone and an e-mail address, so only the choice decides.
/// </summary>
[Collection(KannelCollection.Name)]
public sealed class NotificationChannelTests(KannelFixture fixture)
{
    private readonly SmsWorld _world = new(fixture);

    [KannelFact]
    public async Task EmailOnlyChoice_SendsTheOfferByEmailAndNoSms_WhenTheSeekerHasAPhone()
    {
        var invited = await _world.InvitedAsync(["email"]);

        await _world.DispatchSmsAsync();
        await _world.DispatchEmailAsync();

        Assert.Equal(OutboxStatus.Cancelled, await StatusAsync($"sms_offer:{invited.MatchId}"));
        Assert.Equal(OutboxStatus.Sent, await StatusAsync($"seeker_offer:{invited.MatchId}"));
        Assert.Equal(0, fixture.Gateway.CountTo(invited.Phone));
    }

    [KannelFact]
    public async Task RelayChoice_SendsNeitherSmsNorEmail_AndTheOffersPageAsksTheCaseWorkerToTellThePerson()
    {
        var invited = await _world.InvitedAsync(["relay"]);
        var other = await _world.InvitedAsync(); // SMS and e-mail: in another agency, and not marked on its page

        await _world.DispatchSmsAsync();
        await _world.DispatchEmailAsync();

        Assert.Equal(OutboxStatus.Cancelled, await StatusAsync($"sms_offer:{invited.MatchId}"));
        Assert.Equal(OutboxStatus.Cancelled, await StatusAsync($"seeker_offer:{invited.MatchId}"));
        Assert.Equal(0, fixture.Gateway.CountTo(invited.Phone));
        var page = await new HtmlParser().ParseDocumentAsync(await invited.Worker.Client.GetStringAsync("/casework/offers"));
        var relay = Assert.Single(page.QuerySelectorAll("[data-relay]"));
        Assert.Equal(invited.Seeker.Reference, relay.GetAttribute("data-relay"));
        Assert.Contains("tell them about the offer yourself", relay.TextContent, StringComparison.Ordinal);
        var otherPage = await new HtmlParser().ParseDocumentAsync(await other.Worker.Client.GetStringAsync("/casework/offers"));
        Assert.Contains(otherPage.QuerySelectorAll("h3 a"), a => a.TextContent == other.Seeker.Reference);
        Assert.Empty(otherPage.QuerySelectorAll("[data-relay]"));
    }

    [KannelFact]
    public async Task ChangedChoice_AfterTheOfferWasQueued_SendsTheQueuedOfferTheNewWay()
    {
        var invited = await _world.InvitedAsync(["email"]); // both queued; the choice is read when sending

        var change = await invited.Worker.Client.PostAsJsonAsync($"/api/casework/seekers/{invited.Seeker.Reference}/consents",
            new { purpose = "notifications", method = "by_phone", channels = new[] { "sms" } });
        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        await _world.DispatchSmsAsync();
        await _world.DispatchEmailAsync();

        var offer = await fixture.Gateway.WaitForAsync(invited.Phone, m => m.Text.Contains("কাজের প্রস্তাব", StringComparison.Ordinal));
        Assert.Equal("ucs-2", offer.Type);
        Assert.Equal(OutboxStatus.Sent, await StatusAsync($"sms_offer:{invited.MatchId}"));
        Assert.Equal(OutboxStatus.Cancelled, await StatusAsync($"seeker_offer:{invited.MatchId}"));
    }

    [KannelFact]
    public async Task WithdrawnNotificationsConsent_AfterTheOfferWasQueued_CancelsBothMessages()
    {
        var invited = await _world.InvitedAsync();
        var consentId = await _world.ScalarAsync<long>(
            "SELECT id FROM consent WHERE seeker_id = @id AND purpose = 'notifications' AND withdrawn_at IS NULL", new { id = invited.Seeker.Id });

        var withdraw = await invited.Worker.Client.PostAsync($"/api/casework/seekers/{invited.Seeker.Reference}/consents/{consentId}/withdraw", null);
        Assert.Equal(HttpStatusCode.NoContent, withdraw.StatusCode);
        await _world.DispatchSmsAsync();
        await _world.DispatchEmailAsync();

        Assert.Equal(OutboxStatus.Cancelled, await StatusAsync($"sms_offer:{invited.MatchId}"));
        Assert.Equal(OutboxStatus.Cancelled, await StatusAsync($"seeker_offer:{invited.MatchId}"));
        Assert.Equal(0, fixture.Gateway.CountTo(invited.Phone));
    }

    private Task<string> StatusAsync(string dedupeKey) =>
        _world.ScalarAsync<string>("SELECT status FROM outbox_message WHERE dedupe_key = @dedupeKey", new { dedupeKey });
}
