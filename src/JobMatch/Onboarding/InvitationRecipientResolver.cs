using System.Security.Cryptography;
using Dapper;
using JobMatch.Notifications;
using Npgsql;

namespace JobMatch.Onboarding;

/// <summary>
/// Recipients of kind <c>invitation</c>: the invited address and language, and the mail's link. The link's token is
/// made here, at the moment of sending, and only its hash is written (<c>mail_token_hash</c>), so neither the outbox
/// nor the invitation holds a usable token. A resend makes a new token and the previous mail's link stops working.
/// Invitations that can no longer be used (used, revoked, expired, to an existing account) are left out, which
/// cancels their mail.
/// </summary>
internal sealed class InvitationRecipientResolver(TimeProvider time) : IRecipientResolver
{
    public async Task<IReadOnlyDictionary<string, Recipient>> ResolveAsync(NpgsqlConnection connection, IReadOnlyCollection<string> recipientIds, CancellationToken ct)
    {
        var asked = RecipientIds.Guids(recipientIds);
        var result = new Dictionary<string, Recipient>();
        foreach (var group in asked)
        {
            var token = Invitations.Base64Url(RandomNumberGenerator.GetBytes(32));
            var rows = (await connection.QueryAsync<(string UserName, string? Language)>(new CommandDefinition(
                """
                UPDATE invitation i SET mail_token_hash = @hash
                FROM organisation o
                WHERE i.id = @id AND o.id = i.organisation_id AND o.deactivated_at IS NULL
                  AND NOT i.existing_account AND i.used_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > @now
                RETURNING i.user_name, i.language
                """, new { id = group.Key, hash = Invitations.Hash(token), now = time.GetUtcNow() }, cancellationToken: ct))).AsList();
            if (rows.Count == 0) continue;
            var invitation = rows[0];
            // No known language: the template writes English and Bangla.
            var recipient = new Recipient(invitation.UserName, invitation.Language ?? "", InvitationLinks.PathFor(token));
            foreach (var text in group) result[text] = recipient;
        }
        return result;
    }
}
