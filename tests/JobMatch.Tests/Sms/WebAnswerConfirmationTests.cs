using System.Net;
using System.Net.Http.Json;
using JobMatch.Identity;
using JobMatch.Matching;
using JobMatch.MatchingContract;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Sms;

/// <summary>
/// An offer answered on the web (by the seeker, or recorded by their case worker) is confirmed to the seeker's phone
/// through the outbox, with the same words as the reply to an SMS answer, in the seeker's language; the answer code
/// is spent, so a later SMS answer changes nothing.
/// </summary>
[Collection(KannelCollection.Name)]
public sealed class WebAnswerConfirmationTests(KannelFixture fixture)
{
    private readonly SmsWorld _world = new(fixture);

    private async Task<string> OfferCodeAsync(SmsWorld.Invited invited)
    {
        await _world.DispatchSmsAsync();
        var offer = await fixture.Gateway.WaitForAsync(invited.Phone, m => m.Text.Contains("কাজের প্রস্তাব", StringComparison.Ordinal));
        return SmsWorld.CodeIn(offer.Text);
    }

    [KannelFact]
    public async Task WebAcceptance_SendsTheBanglaConfirmationSms_AndSpendsTheAnswerCode_WhenTheSeekerHasAPhoneAndConsent()
    {
        var invited = await _world.InvitedAsync();
        var code = await OfferCodeAsync(invited);
        var (seeker, user) = await fixture.Web.SignedInClientAsync(Roles.JobSeeker, null, language: "bn");
        await _world.ExecuteAsync("UPDATE seeker SET user_id = @userId WHERE id = @id", new { userId = user.Id, id = invited.Seeker.Id });
        await JobMatchApp.UseApiTokenAsync(seeker);

        Assert.Equal(HttpStatusCode.NoContent, (await seeker.PostAsync($"/api/me/offers/{invited.MatchId}/accept", null)).StatusCode);
        Assert.Equal(1, (await _world.DispatchSmsAsync()).Sent);

        var confirmation = await fixture.Gateway.WaitForAsync(invited.Phone, m => m.Text.Contains("আপনি রাজি", StringComparison.Ordinal));
        Assert.Equal("ucs-2", confirmation.Type);
        Assert.Equal("JobMatch: ধন্যবাদ, আপনি রাজি। নিয়োগকর্তা যোগাযোগ করবেন।", confirmation.Text); // the SMS answer's own words
        Assert.Equal("online", await _world.ScalarAsync<string>(
            "SELECT method FROM consent WHERE seeker_id = @id AND purpose = 'share_contact' AND withdrawn_at IS NULL", new { id = invited.Seeker.Id }));
        Assert.Contains("উত্তরটি বোঝা যায়নি", await _world.ReplyToAsync(invited.Phone, "না " + code)); // the code is spent
        Assert.Equal(MatchStatus.Accepted, await _world.Flow.StatusAsync(invited.MatchId));
        Assert.Equal(1, (int)await _world.ScalarAsync<long>(
            "SELECT count(*) FROM outbox_message WHERE channel = 'sms' AND dedupe_key = @key", new { key = $"sms_answer:{invited.MatchId}" }));
    }

    [KannelFact]
    public async Task CaseWorkerRecordedDecline_SendsTheEnglishConfirmationSms_WhenTheSeekerReadsEnglish()
    {
        var invited = await _world.InvitedAsync();
        await OfferCodeAsync(invited);
        await _world.ExecuteAsync("UPDATE seeker_identity SET preferred_language = 'en' WHERE seeker_id = @id", new { id = invited.Seeker.Id });

        var decline = await invited.Worker.Client.PostAsJsonAsync($"/api/casework/offers/{invited.MatchId}/decline", new { reason = "distance" });
        Assert.Equal(HttpStatusCode.NoContent, decline.StatusCode);
        Assert.Equal(1, (await _world.DispatchSmsAsync()).Sent);

        var confirmation = await fixture.Gateway.WaitForAsync(invited.Phone, m => m.Text.Contains("declined", StringComparison.Ordinal));
        Assert.Equal("JobMatch: thank you, you declined the offer.", confirmation.Text);
        Assert.Equal(MatchStatus.Declined, await _world.Flow.StatusAsync(invited.MatchId));
    }
}
