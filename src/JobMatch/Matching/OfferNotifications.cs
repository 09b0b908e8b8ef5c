using Dapper;
using JobMatch.Notifications;
using JobMatch.Notifications.Templates;
using Npgsql;

namespace JobMatch.Matching;

/// <summary>
/// The offer e-mail to a seeker when an employer invites them. Call <see cref="EnqueueOfferAsync"/> inside the
/// transaction that moves the match to 'invited' (<c>MatchTransitions.MoveAsync(connection, tx, ...)</c>), so the
/// e-mail exists exactly when the invitation does (R26). It is written only when the seeker has an active
/// 'notifications' consent and an e-mail address; otherwise nothing is sent and the case worker relays the offer.
/// The address itself is read when sending, so a later change, withdrawal or erasure still counts. A seeker with a
/// phone and that consent also gets the offer by SMS, with a code to answer by reply (<see cref="Sms.SmsAnswerCodes"/>).
/// Both are queued whatever channels the consent names today: the senders honour the choice when sending, so a
/// seeker who switches from e-mail to SMS (or to the case worker's relay) after the invitation is told the new way.
/// </summary>
internal sealed class OfferNotifications(Outbox outbox, Sms.SmsAnswerCodes sms)
{
    /// <returns>True when an offer e-mail or SMS was queued; false when the case worker has to relay the offer.</returns>
    public async Task<bool> EnqueueOfferAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long matchId, CancellationToken ct)
    {
        var offer = await connection.QuerySingleOrDefaultAsync<OfferRow>(new CommandDefinition(
            """
            SELECT m.seeker_id, o.name AS employer_name, v.title_en, v.title_bn, coalesce(v.wage_min_bdt, v.wage_max_bdt) AS monthly_wage_bdt,
                   coalesce(u.name_en, '') AS place_en, coalesce(u.name_bn, u.name_en, '') AS place_bn,
                   EXISTS (SELECT 1 FROM seeker s JOIN seeker_identity i ON i.seeker_id = s.id
                           WHERE s.id = m.seeker_id AND s.status <> 'erased' AND i.email IS NOT NULL) AS has_email,
                   EXISTS (SELECT 1 FROM active_consent c WHERE c.seeker_id = m.seeker_id AND c.purpose = 'notifications') AS accepts_notifications
            FROM match m
            JOIN vacancy v ON v.id = m.vacancy_id
            JOIN organisation o ON o.id = v.employer_id
            LEFT JOIN upazila u ON u.code = v.upazila_code
            WHERE m.id = @matchId AND m.status = 'invited'
            """, new { matchId }, tx, cancellationToken: ct));
        if (offer is null || !offer.AcceptsNotifications) return false;
        var bySms = await sms.EnqueueOfferAsync(connection, tx, matchId, offer.SeekerId, offer.TitleEn ?? offer.TitleBn ?? "", offer.TitleBn,
            offer.EmployerName, ct);
        if (!offer.HasEmail) return bySms;

        var args = new SeekerOfferArgs(matchId, offer.EmployerName, offer.TitleEn ?? offer.TitleBn ?? "", offer.MonthlyWageBdt,
            offer.PlaceEn, offer.PlaceBn, offer.TitleBn);
        await outbox.EnqueueAsync(connection, tx, NewOutboxMessage.Create(EmailTemplates.SeekerOffer, RecipientKinds.Seeker,
            offer.SeekerId.ToString(System.Globalization.CultureInfo.InvariantCulture), args, $"seeker_offer:{matchId}"), ct);
        return true;
    }

    private sealed class OfferRow
    {
        public long SeekerId { get; set; }
        public string EmployerName { get; set; } = "";
        public string? TitleEn { get; set; }
        public string? TitleBn { get; set; }
        public int? MonthlyWageBdt { get; set; }
        public string PlaceEn { get; set; } = "";
        public string PlaceBn { get; set; } = "";
        public bool HasEmail { get; set; }
        public bool AcceptsNotifications { get; set; }
    }
}
