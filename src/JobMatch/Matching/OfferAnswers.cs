using JobMatch.Consent;
using JobMatch.Identity;
using JobMatch.MatchingContract;
using Npgsql;

namespace JobMatch.Matching;

/// <summary>
/// The seeker's answer to an offer, given by the seeker (method 'online') or recorded by their case worker
/// ('by_case_worker'). Accepting is the consent to share contact details with this one employer for this one
/// vacancy: the consent and the move to 'accepted' are written in one transaction, so neither exists without the
/// other. Callers find the offer through <see cref="OfferQueries"/> (scoped) first: this class does not authorise.
/// An answer given on the web (by the seeker or recorded by the case worker) is confirmed to the seeker by SMS
/// through the outbox, in the same transaction; an answer by SMS is confirmed by the reply itself.
/// </summary>
internal sealed class OfferAnswers(NpgsqlDataSource db, MatchTransitions transitions, ConsentQueries consents, Sms.SmsAnswerCodes sms,
    Notifications.Outbox outbox)
{
    public enum Result { Done, NotFound, Invalid, Conflict }

    /// <summary>Who answers, in which role, and how the consent is recorded.</summary>
    public sealed record Actor(Guid UserId, string Role, string ConsentMethod)
    {
        public static Actor Seeker(Guid userId) => new(userId, Roles.JobSeeker, "online");
        public static Actor CaseWorker(Guid userId) => new(userId, Roles.CaseWorker, "by_case_worker");
        /// <summary>The seeker replying to the offer SMS; a seeker without an account is recorded as the empty id.</summary>
        public static Actor SeekerBySms(Guid? userId) => new(userId ?? Guid.Empty, Roles.JobSeeker, "by_sms");

        /// <summary>The SMS reply already confirms an SMS answer; every other answer gets a confirmation SMS.</summary>
        public bool ConfirmBySms => ConsentMethod != "by_sms";
    }

    /// <summary>Reasons a seeker may give for declining (optional). A fixed list: no free text reaches anyone.</summary>
    public static readonly string[] DeclineReasons = ["wage", "distance", "hours", "found_other_work", "family", "not_interested", "other"];

    /// <summary>Written on the match event when taking back consent ends the application.</summary>
    public const string ConsentWithdrawnReason = "consent_withdrawn";

    public async Task<Result> AcceptAsync(OfferQueries.Offer offer, Actor actor, CancellationToken ct)
    {
        if (!offer.CanAnswer) return Result.Conflict;
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        // The transition locks the match row first: of two answers at once, the second finds it no longer invited.
        var moved = await transitions.MoveAsync(connection, tx, offer.MatchId,
            new MatchTransitions.Change(MatchStatus.Accepted, actor.UserId, actor.Role), ct);
        if (moved != MatchTransitions.Outcome.Moved) return Map(moved);
        await consents.GrantShareContactAsync(connection, tx, offer.SeekerId, offer.SeekerReference, offer.EmployerId, offer.VacancyId,
            actor.ConsentMethod, actor.UserId, ct);
        var confirm = actor.ConfirmBySms && await sms.EnqueueAnswerConfirmationAsync(connection, tx, offer.MatchId, offer.SeekerId, accepted: true, ct);
        await tx.CommitAsync(ct);
        if (confirm) outbox.DispatchSoon();
        return Result.Done;
    }

    public async Task<Result> DeclineAsync(OfferQueries.Offer offer, string? reason, Actor actor, CancellationToken ct)
    {
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (reason is not null && !DeclineReasons.Contains(reason)) return Result.Invalid;
        if (offer.Status != MatchStatus.Invited) return Result.Conflict;
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var moved = await transitions.MoveAsync(connection, tx, offer.MatchId, new MatchTransitions.Change(MatchStatus.Declined, actor.UserId, actor.Role, reason), ct);
        if (moved != MatchTransitions.Outcome.Moved) return Map(moved);
        var confirm = actor.ConfirmBySms && await sms.EnqueueAnswerConfirmationAsync(connection, tx, offer.MatchId, offer.SeekerId, accepted: false, ct);
        await tx.CommitAsync(ct);
        if (confirm) outbox.DispatchSoon();
        return Result.Done;
    }

    /// <summary>
    /// Takes back the consent to share contact details: from the next request on, the employer no longer sees them.
    /// An application still under way (accepted or interviewed) then becomes 'withdrawn' — the candidate withdrew —
    /// because the employer can no longer reach the person, and it frees the seeker's slot for other proposals; a
    /// withdrawal is not a training label, so it does not teach the model that the match was bad. A finished outcome
    /// (hired, not selected) stays as it was: it happened, and retention follow-up depends on it.
    /// </summary>
    public async Task<Result> WithdrawConsentAsync(OfferQueries.Offer offer, Actor actor, CancellationToken ct)
    {
        if (offer.ContactConsentId is not { } consentId) return Result.Conflict;
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (!await consents.WithdrawAsync(connection, tx, offer.SeekerId, offer.SeekerReference, consentId, actor.UserId, ct)) return Result.Conflict;
        if (offer.Status is MatchStatus.Accepted or MatchStatus.Interviewed)
        {
            var moved = await transitions.MoveAsync(connection, tx, offer.MatchId,
                new MatchTransitions.Change(MatchStatus.Withdrawn, actor.UserId, actor.Role, ConsentWithdrawnReason), ct);
            // Moved on by someone else meanwhile (e.g. hired): the consent still ends, the outcome stays.
            if (moved is not (MatchTransitions.Outcome.Moved or MatchTransitions.Outcome.NotAllowed)) return Map(moved);
        }
        await tx.CommitAsync(ct);
        return Result.Done;
    }

    private static Result Map(MatchTransitions.Outcome outcome) => outcome switch
    {
        MatchTransitions.Outcome.Moved => Result.Done,
        MatchTransitions.Outcome.NotFound => Result.NotFound,
        _ => Result.Conflict,
    };
}
