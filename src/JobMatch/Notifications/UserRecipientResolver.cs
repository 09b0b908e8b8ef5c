using Dapper;
using JobMatch.Identity;
using JobMatch.Privacy;
using Npgsql;

namespace JobMatch.Notifications;

/// <summary>Recipients of kind <c>user</c>: a sign-in account's e-mail address (stored encrypted) and preferred language.</summary>
internal sealed class UserRecipientResolver(FieldEncryption encryption) : IRecipientResolver
{
    public async Task<IReadOnlyDictionary<string, Recipient>> ResolveAsync(NpgsqlConnection connection, IReadOnlyCollection<string> recipientIds, CancellationToken ct)
    {
        // Answer under the ids exactly as asked, whatever their spelling (case, braces).
        var asked = recipientIds
            .Select(id => (Text: id, Guid: Guid.TryParse(id, out var guid) ? guid : (Guid?)null))
            .Where(x => x.Guid is not null)
            .ToLookup(x => x.Guid!.Value, x => x.Text);
        var ids = asked.Select(g => g.Key).ToArray();
        var rows = await connection.QueryAsync<(Guid Id, string Email, string PreferredLanguage)>(new CommandDefinition(
            """
            SELECT id, email, preferred_language
            FROM app_user
            WHERE id = ANY(@ids) AND NOT disabled AND email IS NOT NULL
            """,
            new { ids }, cancellationToken: ct));
        var ring = await encryption.RingAsync(ct);
        return rows
            .Select(r => (r.Id, Email: ring.Decrypt(r.Email, StoredUser.Email), r.PreferredLanguage))
            .Where(r => r.Email.Length > 0)
            .SelectMany(r => asked[r.Id].Select(text => (text, recipient: new Recipient(r.Email, r.PreferredLanguage))))
            .ToDictionary(x => x.text, x => x.recipient);
    }
}
