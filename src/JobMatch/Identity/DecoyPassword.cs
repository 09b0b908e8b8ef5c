using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace JobMatch.Identity;

/// <summary>
/// Hashes a password against a stored decoy hash, so that a sign-in for an unknown user name, a disabled or a locked
/// account costs the same PBKDF2 work as a real attempt (R12): without it an unknown phone number answered in
/// milliseconds and a known one in hundreds, which told anyone whether a phone belongs to someone in the programme.
/// The decoy is hashed once with the configured iteration count, the count every real hash is written with.
/// </summary>
internal sealed class DecoyPassword(IOptions<PasswordHasherOptions> options)
{
    private static readonly AppUser Nobody = new();
    private readonly PasswordHasher<AppUser> _hasher = new(options);
    private readonly Lazy<string> _hash = new(() => new PasswordHasher<AppUser>(options).HashPassword(Nobody, Guid.NewGuid().ToString()));

    /// <summary>Does the work of checking <paramref name="password"/>; the answer is always "wrong".</summary>
    public void Check(string password) => _hasher.VerifyHashedPassword(Nobody, _hash.Value, password);
}
