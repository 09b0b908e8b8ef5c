using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using JobMatch.Identity;
using OtpNet;

namespace JobMatch.Tests.Infrastructure;

/// <summary>
/// The tests' authenticator app: remembers each test user's TOTP key and makes codes from it. The app accepts each
/// time step once per user, so for repeated sign-ins of one user this uses the next unused step. When that step is
/// further ahead than the app's one-step window (a third sign-in within 30 seconds), the user's own authenticator
/// clock (<see cref="ClockFor"/>, which the apps' TOTP check reads, <see cref="AuthenticatorOnTestClock"/>) moves one
/// step forward instead of the test waiting up to 30 s for the wall clock.
/// </summary>
internal static partial class TestAuthenticator
{
    private static readonly ConcurrentDictionary<string, string> Keys = new(StringComparer.OrdinalIgnoreCase);
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(30);
    private static readonly Lock Gate = new();
    // Per user: the last step a code was made for, and how many steps the user's clock runs ahead of the wall clock.
    // Per user rather than one clock for the run, so that one user's sign-ins never move another's window under a
    // code already handed out, and a user signed in at most twice in 30 s (any user of a child process) has no offset.
    private static readonly Dictionary<string, (long LastStep, long Ahead)> Users = new(StringComparer.OrdinalIgnoreCase);

    public static void Remember(string userName, string key) => Keys[Normalize(userName)] = key.Replace(" ", "", StringComparison.Ordinal);

    public static string KeyFor(string userName) =>
        Keys.TryGetValue(Normalize(userName), out var key)
            ? key
            : throw new InvalidOperationException($"No authenticator key known for {userName}: create staff users with JobMatchApp.CreateUserAsync.");

    /// <summary>
    /// A code for a time step not yet used by this user (the app refuses a step it has seen). The step is the user's
    /// clock's now, or the one after the last code; if that is beyond the window (now + 1), the clock moves on by one
    /// step, never more: the last code was made for at most now + 1, so the next is at most now + 2, and a code made
    /// for the old now stays inside the window (new now - 1) until it is posted.
    /// </summary>
    public static Task<string> NextCodeAsync(string userName)
    {
        var key = KeyFor(userName);
        long step;
        lock (Gate)
        {
            var name = Normalize(userName);
            var (last, ahead) = Users.GetValueOrDefault(name);
            var now = WallStep() + ahead;
            step = Math.Max(now, last + 1);
            if (step > now + 1) ahead += step - 1 - now;
            Users[name] = (step, ahead);
        }
        return Task.FromResult(CodeAt(key, step));
    }

    /// <summary>The clock the apps' TOTP check reads for this user: the wall clock, moved on by whole steps as <see cref="NextCodeAsync"/> needs.</summary>
    public static TimeProvider ClockFor(string userName) => new UserClock(Normalize(userName));

    /// <summary>The time step the user's clock is in now (tests of the app's window make codes around it).</summary>
    public static long StepNow(string userName) => WallStep() + Ahead(Normalize(userName));

    /// <summary>The step of the last code <see cref="NextCodeAsync"/> made for this user.</summary>
    public static long LastStep(string userName)
    {
        lock (Gate) return Users.GetValueOrDefault(Normalize(userName)).LastStep;
    }

    private static long Ahead(string name)
    {
        lock (Gate) return Users.GetValueOrDefault(name).Ahead;
    }

    private static long WallStep() => DateTimeOffset.UtcNow.ToUnixTimeSeconds() / (long)Step.TotalSeconds;

    private sealed class UserClock(string name) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Ahead(name) * Step;
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
