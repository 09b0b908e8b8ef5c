using Dapper;
using JobMatch.Privacy;
using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace JobMatch.Identity;

/// <summary>
/// ASP.NET Core Identity's user store on Dapper (no Entity Framework). Personal values are encrypted on the way in and
/// decrypted on the way out (<see cref="StoredUser"/>); users are found by the blind index of their sign-in name.
/// </summary>
internal sealed class UserStore(NpgsqlDataSource db, FieldEncryption encryption, ILookupNormalizer normalizer) :
    IUserPasswordStore<AppUser>,
    IUserEmailStore<AppUser>,
    IUserPhoneNumberStore<AppUser>,
    IUserSecurityStampStore<AppUser>,
    IUserLockoutStore<AppUser>,
    IUserTwoFactorStore<AppUser>,
    IUserAuthenticatorKeyStore<AppUser>
{
    private const string Columns = """
        id, user_name, email, email_confirmed, phone_number, password_hash,
        security_stamp, concurrency_stamp, lockout_enabled, lockout_end, access_failed_count, two_factor_enabled,
        authenticator_key, role, organisation_id, display_name, preferred_language, disabled
        """;

    public async Task<IdentityResult> CreateAsync(AppUser user, CancellationToken cancellationToken)
    {
        if (user.Id == Guid.Empty) user.Id = Guid.CreateVersion7();
        var ring = await encryption.RingAsync(cancellationToken);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO app_user (id, user_name, user_name_index, email, email_index, email_confirmed, phone_number,
                password_hash, security_stamp, concurrency_stamp, lockout_enabled, lockout_end, access_failed_count,
                two_factor_enabled, authenticator_key, role, organisation_id, display_name, preferred_language, disabled)
            VALUES (@Id, @UserName, @UserNameIndex, @Email, @EmailIndex, @EmailConfirmed, @PhoneNumber,
                @PasswordHash, @SecurityStamp, @ConcurrencyStamp, @LockoutEnabled, @LockoutEnd, @AccessFailedCount,
                @TwoFactorEnabled, @AuthenticatorKey, @Role, @OrganisationId, @DisplayName, @PreferredLanguage, @Disabled)
            """, StoredUser.Parameters(ring, user), cancellationToken: cancellationToken));
        return IdentityResult.Success;
    }

    public async Task<IdentityResult> UpdateAsync(AppUser user, CancellationToken cancellationToken)
    {
        var expectedStamp = user.ConcurrencyStamp;
        user.ConcurrencyStamp = Guid.NewGuid().ToString();
        var ring = await encryption.RingAsync(cancellationToken);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE app_user SET user_name = @UserName, user_name_index = @UserNameIndex, email = @Email,
                email_index = @EmailIndex, email_confirmed = @EmailConfirmed, phone_number = @PhoneNumber,
                password_hash = @PasswordHash, security_stamp = @SecurityStamp, concurrency_stamp = @ConcurrencyStamp,
                lockout_enabled = @LockoutEnabled, lockout_end = @LockoutEnd, access_failed_count = @AccessFailedCount,
                two_factor_enabled = @TwoFactorEnabled, authenticator_key = @AuthenticatorKey,
                display_name = @DisplayName, preferred_language = @PreferredLanguage, disabled = @Disabled
            WHERE id = @Id AND concurrency_stamp = @expectedStamp
            """,
            StoredUser.Parameters(ring, user, expectedStamp),
            cancellationToken: cancellationToken));
        return rows == 1 ? IdentityResult.Success : IdentityResult.Failed(new IdentityErrorDescriber().ConcurrencyFailure());
    }

    public async Task<IdentityResult> DeleteAsync(AppUser user, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM app_user WHERE id = @Id", new { user.Id }, cancellationToken: cancellationToken));
        return IdentityResult.Success;
    }

    public async Task<AppUser?> FindByIdAsync(string userId, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(userId, out var id)) return null;
        return await FindAsync($"SELECT {Columns} FROM app_user WHERE id = @id", new { id }, cancellationToken);
    }

    /// <summary>The blind-index look-up: the name is hashed, never compared (or sent to the database) in clear.</summary>
    public async Task<AppUser?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken)
    {
        var index = StoredUser.NameIndex(await encryption.RingAsync(cancellationToken), normalizedUserName);
        return await FindAsync($"SELECT {Columns} FROM app_user WHERE user_name_index = @index", new { index }, cancellationToken);
    }

    public async Task<AppUser?> FindByEmailAsync(string normalizedEmail, CancellationToken cancellationToken)
    {
        var index = StoredUser.EmailIndex(await encryption.RingAsync(cancellationToken), normalizedEmail);
        if (index is null) return null;
        return await FindAsync($"SELECT {Columns} FROM app_user WHERE email_index = @index ORDER BY id LIMIT 1", new { index }, cancellationToken);
    }

    private async Task<AppUser?> FindAsync(string sql, object parameters, CancellationToken ct)
    {
        var ring = await encryption.RingAsync(ct);
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<AppUser>(new CommandDefinition(sql, parameters, cancellationToken: ct));
        return StoredUser.Open(ring, normalizer, row);
    }

    public Task<string> GetUserIdAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult(user.Id.ToString());
    public Task<string?> GetUserNameAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.UserName);
    public Task SetUserNameAsync(AppUser user, string? userName, CancellationToken cancellationToken) { user.UserName = userName ?? ""; return Task.CompletedTask; }
    public Task<string?> GetNormalizedUserNameAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.NormalizedUserName);
    public Task SetNormalizedUserNameAsync(AppUser user, string? normalizedName, CancellationToken cancellationToken) { user.NormalizedUserName = normalizedName ?? ""; return Task.CompletedTask; }

    public Task SetPasswordHashAsync(AppUser user, string? passwordHash, CancellationToken cancellationToken) { user.PasswordHash = passwordHash; return Task.CompletedTask; }
    public Task<string?> GetPasswordHashAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash);
    public Task<bool> HasPasswordAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash is not null);

    public Task SetEmailAsync(AppUser user, string? email, CancellationToken cancellationToken) { user.Email = email; return Task.CompletedTask; }
    public Task<string?> GetEmailAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult(user.Email);
    public Task<bool> GetEmailConfirmedAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult(user.EmailConfirmed);
    public Task SetEmailConfirmedAsync(AppUser user, bool confirmed, CancellationToken cancellationToken) { user.EmailConfirmed = confirmed; return Task.CompletedTask; }
    public Task<string?> GetNormalizedEmailAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult(user.NormalizedEmail);
    public Task SetNormalizedEmailAsync(AppUser user, string? normalizedEmail, CancellationToken cancellationToken) { user.NormalizedEmail = normalizedEmail; return Task.CompletedTask; }

    public Task SetPhoneNumberAsync(AppUser user, string? phoneNumber, CancellationToken cancellationToken) { user.PhoneNumber = phoneNumber; return Task.CompletedTask; }
    public Task<string?> GetPhoneNumberAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult(user.PhoneNumber);
    public Task<bool> GetPhoneNumberConfirmedAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult(user.PhoneNumber is not null);
    public Task SetPhoneNumberConfirmedAsync(AppUser user, bool confirmed, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task SetSecurityStampAsync(AppUser user, string stamp, CancellationToken cancellationToken) { user.SecurityStamp = stamp; return Task.CompletedTask; }
    public Task<string?> GetSecurityStampAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.SecurityStamp);

    public Task<DateTimeOffset?> GetLockoutEndDateAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult(user.LockoutEnd);
    public Task SetLockoutEndDateAsync(AppUser user, DateTimeOffset? lockoutEnd, CancellationToken cancellationToken) { user.LockoutEnd = lockoutEnd; return Task.CompletedTask; }
    public Task<int> IncrementAccessFailedCountAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult(++user.AccessFailedCount);
    public Task ResetAccessFailedCountAsync(AppUser user, CancellationToken cancellationToken) { user.AccessFailedCount = 0; return Task.CompletedTask; }
    public Task<int> GetAccessFailedCountAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult(user.AccessFailedCount);
    public Task<bool> GetLockoutEnabledAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult(user.LockoutEnabled);
    public Task SetLockoutEnabledAsync(AppUser user, bool enabled, CancellationToken cancellationToken) { user.LockoutEnabled = enabled; return Task.CompletedTask; }

    public Task SetTwoFactorEnabledAsync(AppUser user, bool enabled, CancellationToken cancellationToken) { user.TwoFactorEnabled = enabled; return Task.CompletedTask; }
    public Task<bool> GetTwoFactorEnabledAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult(user.TwoFactorEnabled);

    public Task SetAuthenticatorKeyAsync(AppUser user, string key, CancellationToken cancellationToken) { user.AuthenticatorKey = key; return Task.CompletedTask; }
    public Task<string?> GetAuthenticatorKeyAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult(user.AuthenticatorKey);

    public void Dispose() { }
}
