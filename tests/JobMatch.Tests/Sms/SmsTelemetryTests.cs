namespace JobMatch.Tests.Sms;

/// <summary>
/// Telemetry of the node that sends SMS and takes the gateway's callbacks (R18): after an offer SMS, its delivery
/// reports and a Bangla reply, no span or metric label holds the phone number, the reply's text, the answer code, the
/// seeker's name or the callback secret (the secret travels in the query string Kannel calls back with).
/// </summary>
[Collection(KannelCollection.Name)]
public sealed class SmsTelemetryTests(KannelFixture fixture)
{
    private readonly SmsWorld _world = new(fixture);

    [KannelFact]
    public async Task SpansAndMetrics_HoldNoNumberTextCodeOrSecret_AfterAnOfferItsReportsAndAReply()
    {
        var invited = await _world.InvitedAsync();
        await _world.DispatchSmsAsync();
        var offer = await fixture.Gateway.WaitForAsync(invited.Phone, m => m.Text.Contains("কাজের প্রস্তাব", StringComparison.Ordinal));
        var code = SmsWorld.CodeIn(offer.Text);
        Assert.Contains("আপনি রাজি", await _world.ReplyToAsync(invited.Phone, "হ্যাঁ " + SmsWorld.Bangla(code)));
        var deadline = DateTime.UtcNow.AddSeconds(20); // the fake SMSC reports "delivered" at once; wait for its callback
        while (await _world.ScalarAsync<string?>("SELECT delivery FROM outbox_message WHERE dedupe_key = @key", new { key = $"sms_offer:{invited.MatchId}" }) != "delivered")
        {
            Assert.True(DateTime.UtcNow < deadline, "No delivery report for the offer.");
            await Task.Delay(100);
        }
        fixture.Telemetry.Flush(fixture.App.Services);

        // The capture works: the gateway's calls are there, by route.
        var routes = fixture.Telemetry.Spans.Select(s => s.GetTagItem("http.route") as string).ToHashSet();
        Assert.Contains("/sms/mo", routes);
        Assert.Contains("/sms/dlr", routes);
        var texts = fixture.Telemetry.Texts();
        // Not the code in ASCII digits (four digits occur by chance in port numbers), nor the job title (not personal,
        // and the test's own set-up SQL, traced by the same in-process Npgsql source, names it).
        foreach (var secret in new[] { invited.Phone[3..], "হ্যাঁ", SmsWorld.Bangla(code), invited.Seeker.Canaries.Name, fixture.Gateway.Secret })
        {
            Assert.DoesNotContain(texts, t => t.Contains(secret, StringComparison.Ordinal));
        }
    }
}
