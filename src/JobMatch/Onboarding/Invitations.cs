using JobMatch.Web;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using JobMatch.Audit;
using JobMatch.Identity;
using JobMatch.Vacancies;
using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace JobMatch.Onboarding;

/// <summary>
/// Invitations to an organisation's staff: a random token in a link (only its hash is stored) that expires after
/// <see cref="Lifetime"/>, is used once, and lets the person choose a password; their first sign-in then enrols the
/// authenticator app, as for every staff account. The account is made when the link is used, not before.
/// </summary>
internal sealed class Invitations(NpgsqlDataSource db, UserAccounts accounts, UserManager<AppUser> users, AuditLog audit, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(72);

    public sealed record Pending(Guid Id, Guid OrganisationId, string OrganisationName, string Role, string UserName, string DisplayName, bool Lead);

    /// <summary>The link's token, or null with field errors (userName, displayName).</summary>
    public async Task<string?> CreateAsync(Guid organisationId, string role, string? userNameText, string? displayNameText, bool lead, Guid invitedBy,
        FieldErrors errors, CancellationToken ct)
    {
        var userName = JobMatch.Web.TextInput.Clean(userNameText)?.ToLowerInvariant();
        var displayName = JobMatch.Web.TextInput.Clean(displayNameText);
        if (userName is null) errors.Add("userName", "Required");
        else if (userName.Length > 200 || !userName.Contains('@') || userName.Contains(' ') || userName.Contains('\0')) errors.Add("userName", "EmailInvalid");
        // Staff sign in with a work e-mail address; one that already signs in cannot be given a second account.
        else if (await users.FindByNameAsync(userName) is not null) errors.Add("userName", "UserNameTaken");
        if (displayName is null) errors.Add("displayName", "Required");
        else if (displayName.Length > 200) errors.Add("displayName", "TooLong");
        if (!errors.IsEmpty) return null;

        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        var id = Guid.CreateVersion7();
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO invitation (id, token_hash, organisation_id, role, user_name, display_name, lead, invited_by, expires_at)
            VALUES (@id, @hash, @organisationId, @role, @userName, @displayName, @lead, @invitedBy, @expires)
            """,
            new { id, hash = Hash(token), organisationId, role, userName, displayName, lead, invitedBy, expires = time.GetUtcNow() + Lifetime },
            cancellationToken: ct));
        await audit.WriteAsync("invitation_created", $"invitation:{id}", ct, invitedBy, connection);
        return token;
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
            WHERE i.token_hash = @hash AND i.used_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > @now
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
        if (string.IsNullOrEmpty(password)) errors.Add("password", "Required");
        else if (password != confirm) errors.Add("confirmPassword", "PasswordsDiffer");
        else
        {
            var probe = new AppUser { Id = Guid.CreateVersion7(), UserName = pending.UserName, Role = pending.Role, DisplayName = pending.DisplayName };
            foreach (var validator in users.PasswordValidators)
            {
                foreach (var e in (await validator.ValidateAsync(users, probe, password)).Errors)
                {
                    errors.Add("password", e.Code == CommonPasswordValidator.ErrorCode ? "PasswordCommon" : "PasswordTooShort");
                }
            }
        }
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

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
