using Dapper;
using JobMatch.Seekers;
using Npgsql;

namespace JobMatch.Sms;

/// <summary>Where an SMS goes: the number (normalised, +880…) and the language, read when sending.</summary>
internal sealed record SmsRecipient(string Phone, string Language);

/// <summary>
/// SMS recipients of kind <c>seeker</c>: seekers whose active 'notifications' consent names SMS and who have a phone
/// of their own, read through <see cref="SeekerContact"/> (audited, purpose "notification") at send time, so a changed
/// number is used, and a withdrawn consent, another choice of channels (e-mail only, or the case worker's relay) or an
/// erasure cancels the message even when it was queued before. A seeker without a phone, or who chose not to be
/// texted, gets no SMS: their case worker relays offers from the caseload's offers page, as before.
/// </summary>
internal sealed class SeekerPhoneResolver(SeekerContact contact)
{
    public async Task<IReadOnlyDictionary<string, SmsRecipient>> ResolveAsync(NpgsqlConnection connection, IReadOnlyCollection<string> recipientIds, CancellationToken ct)
    {
        var asked = Notifications.RecipientIds.Longs(recipientIds);
        var consenting = await connection.QueryAsync<long>(new CommandDefinition(
            """
            SELECT DISTINCT c.seeker_id
            FROM active_consent c JOIN seeker s ON s.id = c.seeker_id
            JOIN seeker_identity i ON i.seeker_id = s.id AND i.phone IS NOT NULL
            WHERE c.seeker_id = ANY(@ids) AND c.purpose = 'notifications' AND 'sms' = ANY (c.channels) AND s.status <> 'erased'
            """,
            new { ids = asked.Select(g => g.Key).ToArray() }, cancellationToken: ct));
        var answer = new Dictionary<string, SmsRecipient>();
        foreach (var seekerId in consenting)
        {
            if (await contact.ReadAsync(seekerId, "notification", ct) is not { Phone: { Length: > 0 } raw } details) continue;
            if (Identity.PhoneNumber.Normalize(raw) is not { } phone) continue;
            foreach (var text in asked[seekerId]) answer[text] = new SmsRecipient(phone, details.PreferredLanguage);
        }
        return answer;
    }
}
