using Dapper;
using JobMatch.Seekers;
using Npgsql;

namespace JobMatch.Notifications;

/// <summary>
/// Recipients of kind <c>seeker</c> (id: the seeker id). Resolved when sending, so a changed address is used and an
/// erased seeker, a withdrawn notifications consent or another choice of channels (SMS only, or the case worker's
/// relay) cancels the message, even one queued before: only seekers whose active 'notifications' consent names
/// e-mail and who have an address are answered. The address is read through
/// <see cref="SeekerContact"/> (purpose "notification"), which audits each read.
/// </summary>
internal sealed class SeekerRecipientResolver(SeekerContact contact) : IRecipientResolver
{
    public async Task<IReadOnlyDictionary<string, Recipient>> ResolveAsync(NpgsqlConnection connection, IReadOnlyCollection<string> recipientIds, CancellationToken ct)
    {
        var asked = RecipientIds.Longs(recipientIds);
        var consenting = await connection.QueryAsync<long>(new CommandDefinition(
            """
            SELECT DISTINCT c.seeker_id
            FROM active_consent c JOIN seeker s ON s.id = c.seeker_id
            JOIN seeker_identity i ON i.seeker_id = s.id AND i.email IS NOT NULL
            WHERE c.seeker_id = ANY(@ids) AND c.purpose = 'notifications' AND 'email' = ANY (c.channels) AND s.status <> 'erased'
            """,
            new { ids = asked.Select(g => g.Key).ToArray() }, cancellationToken: ct));
        var answer = new Dictionary<string, Recipient>();
        foreach (var seekerId in consenting)
        {
            if (await contact.ReadAsync(seekerId, "notification", ct) is not { Email: { Length: > 0 } email } details) continue;
            foreach (var text in asked[seekerId]) answer[text] = new Recipient(email.Trim(), details.PreferredLanguage);
        }
        return answer;
    }
}
