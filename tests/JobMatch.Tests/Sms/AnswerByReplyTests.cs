using JobMatch.Matching;
using JobMatch.MatchingContract;

namespace JobMatch.Tests.Sms;

/// <summary>
/// The seeker's journey by SMS through a real Kannel and its fake SMSC: the employer invites, the phone receives the
/// Bangla offer (decoded from UCS-2), the reply with the code accepts the offer exactly as the web answer does, and
/// every other reply gets the same neutral answer and changes nothing.
/// </summary>
[Collection(KannelCollection.Name)]
public sealed class AnswerByReplyTests(KannelFixture fixture)
{
    private readonly SmsWorld _world = new(fixture);

    [KannelFact]
    public async Task BanglaReplyWithTheCode_AcceptsTheOffer_AndTheEmployerSeesNameAndPhone_WhenTheEmployerInvited()
    {
        var invited = await _world.InvitedAsync();
        Assert.Equal(1, (await _world.DispatchSmsAsync()).Sent);

        var offer = await fixture.Gateway.WaitForAsync(invited.Phone, m => m.Text.Contains("কাজের প্রস্তাব", StringComparison.Ordinal));
        Assert.Equal("ucs-2", offer.Type);
        Assert.Contains("দর্জি", offer.Text);                         // the job, in Bangla, intact
        Assert.Contains("নাম ও ফোন পাবেন", offer.Text);              // accepting shares name and phone: said before answering
        Assert.DoesNotContain(invited.Seeker.Canaries.Name, offer.Text);
        var code = SmsWorld.CodeIn(offer.Text);
        var cardBefore = await invited.Employer.GetStringAsync(invited.CandidatePath);
        Assert.DoesNotContain(invited.Seeker.Canaries.Name, cardBefore);

        var reply = await _world.ReplyToAsync(invited.Phone, "হ্যাঁ " + SmsWorld.Bangla(code));

        Assert.Contains("আপনি রাজি", reply);
        Assert.Equal(MatchStatus.Accepted, await _world.Flow.StatusAsync(invited.MatchId));
        // The reply is the confirmation: no second one through the outbox (that is for answers on the web).
        Assert.Equal(0L, await _world.ScalarAsync<long>("SELECT count(*) FROM outbox_message WHERE dedupe_key = @key", new { key = $"sms_answer:{invited.MatchId}" }));
        Assert.Equal("by_sms", await _world.ScalarAsync<string>(
            "SELECT method FROM consent WHERE seeker_id = @id AND purpose = 'share_contact' AND withdrawn_at IS NULL", new { id = invited.Seeker.Id }));
        var card = await invited.Employer.GetStringAsync(invited.CandidatePath);
        Assert.Contains(invited.Seeker.Canaries.Name, card);
        Assert.Contains(invited.Seeker.Canaries.Phone[3..], card);

        // No number, text or code in the logs of the node that sent and received (R18), though it logged the answer.
        Assert.Contains(fixture.Logs.Lines, l => l.Contains($"Offer {invited.MatchId} accepted by SMS reply", StringComparison.Ordinal));
        foreach (var secret in new[] { invited.Phone[3..], "দর্জি", "হ্যাঁ", SmsWorld.Bangla(code), invited.Seeker.Canaries.Name })
        {
            Assert.DoesNotContain(fixture.Logs.Lines, l => l.Contains(secret, StringComparison.Ordinal));
        }
        Assert.DoesNotContain(await _world.ScalarAsync<string>(
            "SELECT coalesce(string_agg(coalesce(invocationdata::text, '') || coalesce(arguments::text, ''), ' '), '') FROM hangfire.job", new { }), invited.Phone[3..]);
    }

    [KannelFact]
    public async Task WrongCode_StrangersNumber_ExpiredAndReusedCode_GetTheNeutralReply_AndChangeNothing()
    {
        var invited = await _world.InvitedAsync();
        await _world.DispatchSmsAsync();
        var offer = await fixture.Gateway.WaitForAsync(invited.Phone, m => m.Text.Contains("কাজের প্রস্তাব", StringComparison.Ordinal));
        var code = SmsWorld.CodeIn(offer.Text);
        var wrong = ((int.Parse(code, System.Globalization.CultureInfo.InvariantCulture) - 1000 + 1) % 9000 + 1000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var stranger = "8801999" + Random.Shared.Next(100000, 999999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        const string Neutral = "উত্তরটি বোঝা যায়নি";

        Assert.Contains(Neutral, await _world.ReplyToAsync(invited.Phone, "YES " + wrong));
        Assert.Contains(Neutral, await _world.ReplyToAsync(stranger, "YES " + code));
        await _world.ExecuteAsync("UPDATE sms_answer_code SET expires_at = now() - interval '1 minute' WHERE match_id = @MatchId", invited);
        Assert.Contains(Neutral, await _world.ReplyToAsync(invited.Phone, "হ্যাঁ " + code));
        Assert.Equal(MatchStatus.Invited, await _world.Flow.StatusAsync(invited.MatchId));

        await _world.ExecuteAsync("UPDATE sms_answer_code SET expires_at = now() + interval '1 day' WHERE match_id = @MatchId", invited);
        Assert.Contains("প্রস্তাবটি নেননি", await _world.ReplyToAsync(invited.Phone, "না " + code));
        Assert.Equal(MatchStatus.Declined, await _world.Flow.StatusAsync(invited.MatchId));
        Assert.Contains(Neutral, await _world.ReplyToAsync(invited.Phone, "YES " + code)); // the code is spent
        Assert.Equal(MatchStatus.Declined, await _world.Flow.StatusAsync(invited.MatchId));
        Assert.Equal(0L, await _world.ScalarAsync<long>("SELECT count(*) FROM consent WHERE seeker_id = @id AND purpose = 'share_contact'", new { id = invited.Seeker.Id }));
    }

    [KannelFact]
    public async Task ReplyEndpoint_Refuses_WhenTheSharedSecretIsMissingOrWrong()
    {
        var invited = await _world.InvitedAsync();
        await _world.DispatchSmsAsync();
        var offer = await fixture.Gateway.WaitForAsync(invited.Phone, m => m.Text.Contains("কাজের প্রস্তাব", StringComparison.Ordinal));
        var code = SmsWorld.CodeIn(offer.Text);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{fixture.Gateway.AppPort}/") };
        foreach (var path in new[] { "sms/mo", "sms/mo?key=wrong" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("YES " + code) };
            request.Headers.Add("X-Kannel-From", invited.Phone);
            var response = await http.SendAsync(request);
            Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        }
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync($"sms/dlr?id={Guid.NewGuid()}&status=2")).StatusCode);
        Assert.Equal(MatchStatus.Invited, await _world.Flow.StatusAsync(invited.MatchId));
    }
}
