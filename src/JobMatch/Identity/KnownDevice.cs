using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace JobMatch.Identity;

/// <summary>
/// A long-lived cookie set on a successful sign-in that says "this browser signed in as this user name before". Its
/// holder is throttled in a partition of its own, so a stranger guessing that name (or sharing the owner's address,
/// as everybody behind one mobile operator does) can never throttle the owner out. The cookie holds a hash of the
/// normalised name, encrypted with the Data Protection key ring: it shows nothing on a shared phone.
/// </summary>
internal static class KnownDevice
{
    private const string Purpose = "JobMatch.Identity.KnownDevice.v1";
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(180);

    public static string CookieName(bool httpsOnly) => httpsOnly ? "__Host-jm-device" : "jm-device";

    /// <summary>Remembers this browser for <paramref name="normalizedUserName"/>.</summary>
    public static void Remember(HttpContext context, string normalizedUserName, bool httpsOnly)
    {
        var protector = context.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose);
        context.Response.Cookies.Append(CookieName(httpsOnly), protector.Protect(Tag(normalizedUserName)), new CookieOptions
        {
            HttpOnly = true,
            Secure = httpsOnly,
            SameSite = SameSiteMode.Lax,
            Path = "/",
            MaxAge = Lifetime,
            IsEssential = true,
        });
    }

    /// <summary>True when the request carries a cookie this app issued for <paramref name="normalizedUserName"/>.</summary>
    public static bool IsKnownFor(HttpContext context, string normalizedUserName, bool httpsOnly)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName(httpsOnly), out var value) || string.IsNullOrEmpty(value)) return false;
        var protector = context.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose);
        try
        {
            return CryptographicOperations.FixedTimeEquals(
                Encoding.ASCII.GetBytes(protector.Unprotect(value)), Encoding.ASCII.GetBytes(Tag(normalizedUserName)));
        }
        catch (CryptographicException)
        {
            return false; // forged, from another deployment, or its key has expired
        }
    }

    private static string Tag(string normalizedUserName) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(normalizedUserName)));
}
