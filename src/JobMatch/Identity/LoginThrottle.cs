using System.Collections.Concurrent;

namespace JobMatch.Identity;

/// <summary>
/// Per-user-name and per-IP limit on sign-in attempts (answered 429 past the limit), on top of Identity's lockout.
/// Counts live in this process: with several nodes each enforces its own window, which still bounds guessing.
/// </summary>
internal sealed class LoginThrottle(TimeProvider time, IConfiguration configuration)
{
    private readonly ConcurrentDictionary<string, Window> _windows = new();
    private readonly int _perUserPerMinute = configuration.GetValue("Identity:LoginAttemptsPerUserPerMinute", 6);
    private readonly int _perIpPerMinute = configuration.GetValue("Identity:LoginAttemptsPerIpPerMinute", 30);

    /// <summary>Counts one attempt; false when the user name or the address is over its limit.</summary>
    public bool TryAcquire(string normalizedUserName, string? ipAddress)
    {
        var now = time.GetUtcNow();
        var userOk = Hit("u:" + normalizedUserName, _perUserPerMinute, now);
        var ipOk = Hit("ip:" + (ipAddress ?? "unknown"), _perIpPerMinute, now);
        return userOk && ipOk;
    }

    private bool Hit(string key, int limit, DateTimeOffset now)
    {
        var window = _windows.AddOrUpdate(key,
            _ => new Window(now, 1),
            (_, w) => now - w.Start >= TimeSpan.FromMinutes(1) ? new Window(now, 1) : w with { Count = w.Count + 1 });
        if (_windows.Count > 100_000) Prune(now);
        return window.Count <= limit;
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, window) in _windows)
        {
            if (now - window.Start >= TimeSpan.FromMinutes(1)) _windows.TryRemove(key, out _);
        }
    }

    private sealed record Window(DateTimeOffset Start, int Count);
}
