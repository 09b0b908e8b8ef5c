using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using JobMatch.Identity;
using OtpNet;

namespace JobMatch.Tests.Infrastructure;

/// <summary>
/// The tests' authenticator app: remembers each test user's TOTP key and makes codes from it. The app accepts each
/// time step once per user, so for repeated sign-ins of one user this uses the next unused step, waiting for the
/// clock only when that step is further ahead than the app's one-step window (a third sign-in within 30 seconds).
/// </summary>
internal static partial class TestAuthenticator
{
    private static readonly ConcurrentDictionary<string, string> Keys = new(StringComparer.OrdinalIgnoreCase);
    private static readonly ConcurrentDictionary<string, long> LastStep = new(StringComparer.OrdinalIgnoreCase);

    public static void Remember(string userName, string key) => Keys[Normalize(userName)] = key.Replace(" ", "", StringComparison.Ordinal);

    public static string KeyFor(string userName) =>
        Keys.TryGetValue(Normalize(userName), out var key)
            ? key
            : throw new InvalidOperationException($"No authenticator key known for {userName}: create staff users with JobMatchApp.CreateUserAsync.");

    /// <summary>A code for a time step not yet used by this user (the app refuses a step it has seen).</summary>
    public static async Task<string> NextCodeAsync(string userName)
    {
        var name = Normalize(userName);
        var key = KeyFor(userName);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30;
        var step = LastStep.AddOrUpdate(name, now, (_, last) => Math.Max(now, last + 1));
        if (step > now + 1)
        {
            var wait = DateTimeOffset.FromUnixTimeSeconds((step - 1) * 30) - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero) await Task.Delay(wait + TimeSpan.FromMilliseconds(50));
        }
        return CodeAt(key, step);
    }

    public static string CodeAt(string key, long step) =>
        new Totp(Base32Encoding.ToBytes(key)).ComputeTotp(DateTimeOffset.FromUnixTimeSeconds(step * 30).UtcDateTime);

    /// <summary>The setup key the enrolment page shows as text.</summary>
    public static string KeyOnPage(string html)
    {
        var match = SetupKey().Match(html);
        if (!match.Success) throw new InvalidOperationException("No setup key on the enrolment page.");
        return WebUtility.HtmlDecode(match.Groups[1].Value).Replace(" ", "", StringComparison.Ordinal);
    }

    private static string Normalize(string userName) => LoginModel.NormalizeUserName(userName);

    [GeneratedRegex("id=\"setup-key\">([^<]+)<")]
    private static partial Regex SetupKey();
}
