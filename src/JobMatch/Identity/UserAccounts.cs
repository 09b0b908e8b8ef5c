using Dapper;
using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace JobMatch.Identity;

/// <summary>Creating organisations and sign-in accounts (admin pages, demo mode, tests).</summary>
internal sealed class UserAccounts(NpgsqlDataSource db, UserManager<AppUser> users)
{
    public async Task<Guid> CreateOrganisationAsync(string kind, string name, string? membership, CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO organisation (id, kind, name, membership) VALUES (@id, @kind, @name, @membership)",
            new { id, kind, name, membership }, cancellationToken: ct));
        return id;
    }

    /// <summary>Creates an account; the user name is an e-mail address or a phone number.</summary>
    public async Task<AppUser> CreateUserAsync(string userName, string password, string role, Guid? organisationId,
        string displayName, string language = "en", string? email = null, string? phone = null)
    {
        var user = new AppUser
        {
            Id = Guid.CreateVersion7(),
            UserName = userName,
            Email = email ?? (userName.Contains('@') ? userName : null),
            PhoneNumber = phone,
            Role = role,
            OrganisationId = organisationId,
            DisplayName = displayName,
            PreferredLanguage = language,
        };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Could not create user: " + string.Join("; ", result.Errors.Select(e => e.Description)));
        }
        return user;
    }

    /// <summary>
    /// For a user who lost their authenticator app (admin action): switches two-factor off and forgets the key, so the
    /// next sign-in of a staff account goes through enrolment with a new key. Ends the user's sessions.
    /// </summary>
    public async Task ResetAuthenticatorAsync(Guid userId)
    {
        var user = await users.FindByIdAsync(userId.ToString()) ?? throw new InvalidOperationException("No such user.");
        user.AuthenticatorKey = null;
        user.TwoFactorEnabled = false;
        await users.UpdateSecurityStampAsync(user);
    }

    /// <summary>Disables an account and ends its sessions at once (the security stamp changes).</summary>
    public async Task DisableAsync(Guid userId)
    {
        var user = await users.FindByIdAsync(userId.ToString()) ?? throw new InvalidOperationException("No such user.");
        user.Disabled = true;
        await users.UpdateSecurityStampAsync(user);
    }
}
