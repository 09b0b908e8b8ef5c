using JobMatch.Web;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using JobMatch.Audit;
using JobMatch.Identity;
using JobMatch.Notifications;
using JobMatch.Notifications.Templates;
using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace JobMatch.Onboarding;

/// <summary>
/// Invitations to an organisation's staff: a random token in a link (only its hash is stored) that expires after
/// <see cref="Lifetime"/>, is used once, and lets the person choose a password; their first sign-in then enrols the
/// authenticator app, as for every staff account. The account is made when the link is used, not before.
/// The link goes to the invitee by e-mail through the outbox (the mail's own token is made when it is sent, see
/// <see cref="InvitationRecipientResolver"/>); the inviter also gets one to hand over where no mail server is set.
/// The inviter's answer is the same whether or not the address already has an account (no account enumeration):
/// for an existing account the invitation is written but can never be used, and the account holder gets a neutral
/// notice; nothing on their account changes.
/// </summary>
internal sealed class Invitations(NpgsqlDataSource db, UserAccounts accounts, UserManager<AppUser> users, AuditLog audit, Outbox outbox,
    Microsoft.Extensions.Options.IOptions<SmtpOptions> smtp, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(72);

    public sealed record Pending(Guid Id, Guid OrganisationId, string OrganisationName, string Role, string UserName, string DisplayName, bool Lead);

    /// <summary>
    /// When the invitation expires and, where no mail server is set (mail only lands in files on this machine), the
    /// hand-over link's token for the inviter. The same shape whether or not the address has an account.
    /// </summary>
    public sealed record Created(DateTimeOffset ExpiresAt, string? HandOverToken);

    /// <summary>The new invitation, or null with field errors (userName, displayName, language).</summary>
    /// <param name="languageText">The invitee's language when the inviter knows it ("en", "bn"); empty: the mail is in both.</param>
    public async Task<Created?> CreateAsync(Guid organisationId, string role, string? userNameText, string? displayNameText, bool lead, Guid invitedBy,
        FieldErrors errors, CancellationToken ct, string? languageText = null)
    {
        var userName = TextInput.Clean(userNameText)?.ToLowerInvariant();
        var displayName = TextInput.Clean(displayNameText);
        var language = TextInput.Clean(languageText);
        if (userName is null) errors.Add("userName", "Required");
        else if (userName.Length > 200 || !userName.Contains('@') || userName.Contains(' ') || userName.Contains('\0')) errors.Add("userName", "EmailInvalid");
        if (displayName is null) errors.Add("displayName", "Required");
        else if (displayName.Length > 200) errors.Add("displayName", "TooLong");
        if (language is not (null or "en" or "bn")) errors.Add("language", "LanguageInvalid");
        if (!errors.IsEmpty) return null;

        // Staff sign in with a work e-mail address; one that already signs in cannot be given a second account. The
        // inviter is not told (the answer below is the same either way); the account holder gets a neutral notice.
        var existing = await users.FindByNameAsync(userName!);
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        var id = Guid.CreateVersion7();
        var expires = time.GetUtcNow() + Lifetime;
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var organisationName = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            """
            INSERT INTO invitation (id, token_hash, organisation_id, role, user_name, display_name, lead, invited_by, expires_at, language, existing_account)
            VALUES (@id, @hash, @organisationId, @role, @userName, @displayName, @lead, @invitedBy, @expires, @language, @existingAccount);
            SELECT name FROM organisation WHERE id = @organisationId
            """,
            new { id, hash = Hash(token), organisationId, role, userName, displayName, lead, invitedBy, expires, language, existingAccount = existing is not null },
            tx, cancellationToken: ct));
        var message = existing is null
            ? NewOutboxMessage.Create(EmailTemplates.StaffInvitation, RecipientKinds.Invitation, id.ToString(),
                new StaffInvitationArgs(id, organisationName ?? "", (int)Lifetime.TotalHours), $"staff_invitation:{id}")
            : NewOutboxMessage.Create(EmailTemplates.AccountExistsNotice, RecipientKinds.User, existing.Id.ToString(),
                new AccountExistsNoticeArgs(id), $"account_exists_notice:{id}");
        await outbox.EnqueueAsync(connection, tx, message, ct);
        // One audit action for both, so the audit log read by admins does not become the enumeration channel either.
        await audit.WriteAsync("invitation_created", $"invitation:{id}", ct, invitedBy, connection, tx);
        await tx.CommitAsync(ct);
        outbox.DispatchSoon();
        return new Created(expires, smtp.Value.Configured ? null : token);
    }

    /// <summary>The invitation behind a token when it can still be used (not used, not expired, organisation active).</summary>
    public async Task<Pending?> FindAsync(string? token, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100) return null;
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Pending>(new CommandDefinition(
            """
            SELECT i.id, i.organisation_id, o.name AS organisation_name, i.role, i.user_name, i.display_name, i.lead
            FROM invitation i JOIN organisation o ON o.id = i.organisation_id
            WHERE (i.token_hash = @hash OR i.mail_token_hash = @hash) AND NOT i.existing_account AND i.used_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > @now
              AND o.deactivated_at IS NULL
            """, new { hash = Hash(token), now = time.GetUtcNow() }, cancellationToken: ct));
    }

    /// <summary>Uses the invitation: marks it used (once, under a row lock) and makes the account. Null with errors.</summary>
    public async Task<AppUser?> AcceptAsync(string? token, string? password, string? confirm, FieldErrors errors, CancellationToken ct)
    {
        var pending = await FindAsync(token, ct);
        if (pending is null)
        {
            errors.Add("token", "InvitationInvalid");
            return null;
        }
        var probe = new AppUser { Id = Guid.CreateVersion7(), UserName = pending.UserName, Role = pending.Role, DisplayName = pending.DisplayName };
        await PasswordChecks.CheckAsync(users, probe, password, confirm, errors);
        if (!errors.IsEmpty) return null;

        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            // Claim the invitation first: of two uses at once, only one finds it unused.
            var claimed = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE invitation SET used_at = now() WHERE id = @Id AND used_at IS NULL", new { pending.Id }, cancellationToken: ct));
            if (claimed == 0 || await users.FindByNameAsync(pending.UserName) is not null)
            {
                errors.Add("token", "InvitationInvalid");
                return null;
            }
        }
        AppUser user;
        try
        {
            user = await accounts.CreateUserAsync(pending.UserName, password!, pending.Role, pending.OrganisationId, pending.DisplayName);
        }
        catch
        {
            // Give the invitation back, so a failure here does not burn the link.
            await using var connection = await db.OpenConnectionAsync(CancellationToken.None);
            await connection.ExecuteAsync("UPDATE invitation SET used_at = NULL WHERE id = @Id AND user_id IS NULL", new { pending.Id });
            throw;
        }
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE invitation SET user_id = @userId WHERE id = @id;
                INSERT INTO staff_lead (user_id) SELECT @userId WHERE @lead;
                """, new { userId = user.Id, id = pending.Id, lead = pending.Lead }, cancellationToken: ct));
            await audit.WriteAsync("invitation_used", $"invitation:{pending.Id}", ct, user.Id, connection);
        }
        return user;
    }

    internal static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    internal static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
