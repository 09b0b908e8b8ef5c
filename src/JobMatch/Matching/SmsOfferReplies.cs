using JobMatch.MatchingContract;
using JobMatch.Sms;

namespace JobMatch.Matching;

/// <summary>An answer by SMS reply goes through <see cref="OfferAnswers"/>, exactly as the web answer does.</summary>
internal sealed class SmsOfferReplies(OfferQueries offers, OfferAnswers answers) : IOfferReplies
{
    public async Task<string?> AnswerAsync(long matchId, long seekerId, Guid? userId, bool accept, Func<Task<bool>> claimCode, CancellationToken ct)
    {
        var offer = await offers.FindForSeekerAsync(matchId, seekerId, ct);
        if (offer is null || (accept ? !offer.CanAnswer : offer.Status != MatchStatus.Invited)) return "offer no longer open";
        // The code is spent before the answer is recorded: of two replies at once only one goes on.
        if (!await claimCode()) return "code used meanwhile";

        var actor = OfferAnswers.Actor.SeekerBySms(userId);
        var result = accept ? await answers.AcceptAsync(offer, actor, ct) : await answers.DeclineAsync(offer, null, actor, ct);
        return result == OfferAnswers.Result.Done ? null : "answer refused: " + result;
    }
}
