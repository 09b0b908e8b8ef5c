using Dapper;
using Npgsql;

namespace JobMatch.Notifications;

/// <summary>
/// Recipients of kind <c>employer</c> (id: the employer's organisation id): the business contact address and the
/// employer's preferred language, as they are when sending. A suspended employer gets nothing.
/// </summary>
internal sealed class EmployerRecipientResolver : IRecipientResolver
{
    public async Task<IReadOnlyDictionary<string, Recipient>> ResolveAsync(NpgsqlConnection connection, IReadOnlyCollection<string> recipientIds, CancellationToken ct)
    {
        var asked = RecipientIds.Guids(recipientIds);
        var rows = await connection.QueryAsync<(Guid Id, string Email, string PreferredLanguage)>(new CommandDefinition(
            """
            SELECT organisation_id, trim(contact_email), preferred_language
            FROM employer
            WHERE organisation_id = ANY(@ids) AND status <> 'suspended' AND contact_email IS NOT NULL AND trim(contact_email) <> ''
            """,
            new { ids = asked.Select(g => g.Key).ToArray() }, cancellationToken: ct));
        return rows
            .SelectMany(r => asked[r.Id].Select(text => (text, recipient: new Recipient(r.Email, r.PreferredLanguage))))
            .ToDictionary(x => x.text, x => x.recipient);
    }
}
