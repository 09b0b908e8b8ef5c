using JobMatch.Privacy;
using Microsoft.AspNetCore.Identity;

namespace JobMatch.Identity;

/// <summary>
/// How an account's personal values are stored (issue 14): the sign-in name and e-mail only as ciphertext plus a
/// keyed blind index (HMAC under the index key, which only the key-encryption key unwraps) that look-ups go through;
/// the phone and the authenticator secret as ciphertext. A dump or the data files show none of them in clear.
/// </summary>
internal static class StoredUser
{
    public static readonly EncryptedField UserName = new("app_user.user_name", FieldSize.Short);
    public static readonly EncryptedField Email = new("app_user.email", FieldSize.Short);
    public static readonly EncryptedField Phone = new("app_user.phone_number", FieldSize.Short);
    public static readonly EncryptedField AuthenticatorKey = new("app_user.authenticator_key", FieldSize.Short);

    /// <summary>The index of a sign-in name as Identity normalises it (<see cref="ILookupNormalizer.NormalizeName"/>).</summary>
    public static byte[] NameIndex(FieldKeyRing ring, string normalizedUserName) => ring.BlindIndex(normalizedUserName, UserName);

    public static byte[]? EmailIndex(FieldKeyRing ring, string? normalizedEmail) =>
        string.IsNullOrEmpty(normalizedEmail) ? null : ring.BlindIndex(normalizedEmail, Email);

    /// <summary>The parameters of an INSERT or UPDATE of <c>app_user</c>: every personal value encrypted or indexed.</summary>
    public static object Parameters(FieldKeyRing ring, AppUser user, string? expectedStamp = null) => new
    {
        user.Id,
        UserName = ring.Encrypt(user.UserName, UserName),
        UserNameIndex = NameIndex(ring, user.NormalizedUserName),
        Email = ring.EncryptOrNull(user.Email, Email),
        EmailIndex = EmailIndex(ring, user.NormalizedEmail),
        user.EmailConfirmed,
        PhoneNumber = ring.EncryptOrNull(user.PhoneNumber, Phone),
        user.PasswordHash, user.SecurityStamp, user.ConcurrencyStamp, user.LockoutEnabled, user.LockoutEnd, user.AccessFailedCount,
        user.TwoFactorEnabled,
        AuthenticatorKey = ring.EncryptOrNull(user.AuthenticatorKey, AuthenticatorKey),
        user.Role, user.OrganisationId, user.DisplayName, user.PreferredLanguage, user.Disabled,
        expectedStamp,
    };

    /// <summary>Decrypts a row as read (ciphertext in the string properties) into the values Identity works with.</summary>
    public static AppUser? Open(FieldKeyRing ring, ILookupNormalizer normalizer, AppUser? row)
    {
        if (row is null) return null;
        row.UserName = ring.Decrypt(row.UserName, UserName);
        row.NormalizedUserName = normalizer.NormalizeName(row.UserName);
        row.Email = ring.DecryptOrNull(row.Email, Email);
        row.NormalizedEmail = row.Email is null ? null : normalizer.NormalizeEmail(row.Email);
        row.PhoneNumber = ring.DecryptOrNull(row.PhoneNumber, Phone);
        row.AuthenticatorKey = ring.DecryptOrNull(row.AuthenticatorKey, AuthenticatorKey);
        return row;
    }
}
