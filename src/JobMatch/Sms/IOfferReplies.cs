namespace JobMatch.Sms;

/// <summary>
/// Matching's side of an answer given by SMS reply. Sms owns this contract and Matching implements it (Matching owns
/// offers and already uses Sms for the offer text and its code), so the channel does not depend on Matching back.
/// </summary>
internal interface IOfferReplies
{
    /// <summary>
    /// Records the seeker's answer to their offer for the match, as theirs by SMS, if the offer can still take it.
    /// <paramref name="claimCode"/> spends the answer code just before the answer is recorded (false: it was used
    /// meanwhile, and nothing is recorded). Returns null when recorded, else why not (for the log; ids only).
    /// </summary>
    Task<string?> AnswerAsync(long matchId, long seekerId, Guid? userId, bool accept, Func<Task<bool>> claimCode, CancellationToken ct);
}
