using System.Globalization;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Npgsql;
using OtpNet;

namespace JobMatch.Identity;

/// <summary>
/// TOTP codes from an authenticator app (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), accepted one step either
/// side of now for clock drift, and each code only once (ASVS 6.5.1): the time step of the last accepted code is
/// kept per user, and a code is accepted only by moving that step forward in one conditional UPDATE, so a code
/// seen over a shoulder or replayed by a phishing proxy is refused, even by two racing requests.
/// </summary>
internal sealed class OneTimeAuthenticatorTokenProvider(NpgsqlDataSource db, TimeProvider time) : IUserTwoFactorTokenProvider<AppUser>
{
    public const string Name = "JobMatchAuthenticator";
    private static readonly VerificationWindow Window = new(previous: 1, future: 1);

    public Task<string> GenerateAsync(string purpose, UserManager<AppUser> manager, AppUser user) =>
        Task.FromResult(""); // the code comes from the user's authenticator app, never from the server

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<AppUser> manager, AppUser user)
    {
        var key = await manager.GetAuthenticatorKeyAsync(user);
        var code = NormalizeCode(token);
        if (string.IsNullOrEmpty(key) || code is null) return false;

        var totp = new Totp(Base32Encoding.ToBytes(key));
        if (!totp.VerifyTotp(time.GetUtcNow().UtcDateTime, code, out var step, Window)) return false;

        await using var connection = await db.OpenConnectionAsync();
        var claimed = await connection.ExecuteAsync(
            """
            UPDATE app_user SET authenticator_last_step = @step
            WHERE id = @Id AND (authenticator_last_step IS NULL OR authenticator_last_step < @step)
            """,
            new { step, user.Id });
        return claimed == 1;
    }

    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<AppUser> manager, AppUser user) =>
        !string.IsNullOrWhiteSpace(await manager.GetAuthenticatorKeyAsync(user));

    /// <summary>Six digits; spaces and dashes are ignored and Bangla digits (০–৯) count, as typed on a Bangla keyboard.</summary>
    public static string? NormalizeCode(string? input)
    {
        if (input is null) return null;
        var digits = new StringBuilder(6);
        foreach (var c in input)
        {
            if (c is ' ' or '-') continue;
            if (!char.IsDigit(c)) return null;
            digits.Append(((int)char.GetNumericValue(c)).ToString(CultureInfo.InvariantCulture));
        }
        return digits.Length == 6 ? digits.ToString() : null;
    }
}
