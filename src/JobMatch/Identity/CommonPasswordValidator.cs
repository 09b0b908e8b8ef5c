using System.Collections.Frozen;
using Microsoft.AspNetCore.Identity;

namespace JobMatch.Identity;

/// <summary>
/// Refuses the passwords attackers try first (R11, ASVS 6.2.4): a list of very common passwords embedded in the app,
/// checked offline, case-insensitively, also with trailing digits and symbols taken off ("Bangladesh2024!" is
/// "bangladesh"). No composition rules: a long passphrase with spaces is the better password.
/// </summary>
internal sealed class CommonPasswordValidator : IPasswordValidator<AppUser>
{
    public const string ErrorCode = "CommonPassword";

    private static readonly Lazy<FrozenSet<string>> Common = new(Load);

    public Task<IdentityResult> ValidateAsync(UserManager<AppUser> manager, AppUser user, string? password) =>
        Task.FromResult(IsCommon(password ?? "") || IsUserName(user, password)
            ? IdentityResult.Failed(new IdentityError { Code = ErrorCode, Description = "This password is too common or too easy to guess. Choose another, such as a few words you will remember." })
            : IdentityResult.Success);

    public static bool IsCommon(string password)
    {
        var lowered = password.Trim().ToLowerInvariant();
        var stem = lowered.TrimEnd("0123456789!@#$%^&*.?_- ".ToCharArray());
        return Common.Value.Contains(lowered) || (stem.Length > 0 && Common.Value.Contains(stem));
    }

    private static bool IsUserName(AppUser user, string? password) =>
        !string.IsNullOrEmpty(password) && string.Equals(password.Trim(), user.UserName, StringComparison.OrdinalIgnoreCase);

    private static FrozenSet<string> Load()
    {
        using var stream = typeof(CommonPasswordValidator).Assembly.GetManifestResourceStream("JobMatch.Identity.CommonPasswords.txt")
            ?? throw new InvalidOperationException("The common-password list is not embedded in the build.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            set.Add(line.Trim().ToLowerInvariant());
        }
        return set.ToFrozenSet(StringComparer.Ordinal);
    }
}
