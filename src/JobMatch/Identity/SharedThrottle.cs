using Dapper;
using JobMatch.Privacy;
using Npgsql;

namespace JobMatch.Identity;

/// <summary>
/// Fixed-window counters in PostgreSQL (<c>throttle_counter</c>), shared by every node on the database, for the limits
/// that protect people: sign-in attempts per user name and per address (<see cref="SignInRateLimits"/>) and
/// self-registration per address (<see cref="AddressThrottleAttribute"/>). The framework's rate limiter counts in the
/// process, so two web nodes behind a load balancer gave an attacker twice the attempts (issue 14).
/// One hit is one round trip that counts every counter of the attempt at once (an atomic upsert per row) and also
/// deletes a few counters whose window ended; a window starts at a counter's first hit. What is counted is stored only
/// as a keyed hash (the blind-index key), so the table names no sign-in name and no address.
/// </summary>
internal sealed class SharedThrottle(NpgsqlDataSource db, FieldEncryption encryption)
{
    /// <summary>One limit: <paramref name="Permits"/> hits of <paramref name="Value"/> per <paramref name="Window"/>.</summary>
    public sealed record Counter(string Name, string Value, int Permits, TimeSpan Window);

    /// <summary>Whether the hit is within every limit; if not, how long until the last exceeded window ends.</summary>
    public readonly record struct Verdict(bool Allowed, TimeSpan RetryAfter);

    public async Task<Verdict> HitAsync(IReadOnlyList<Counter> counters, CancellationToken ct)
    {
        if (counters.Count == 0) return new Verdict(true, TimeSpan.Zero);
        var ring = await encryption.RingAsync(ct);
        var keys = counters.Select(c => ring.BlindIndex(c.Value, "throttle_counter:" + c.Name)).ToArray();
        var windows = counters.Select(c => c.Window.TotalSeconds).ToArray();
        await using var connection = await db.OpenConnectionAsync(ct);
        // Keys in a fixed order, so two attempts counting the same counters never wait on each other in a cycle.
        // The purge skips this hit's own keys (one statement must not touch a row twice) and rows another hit holds.
        var rows = (await connection.QueryAsync<(byte[] Key, int Hits, double SecondsLeft)>(new CommandDefinition(
            """
            WITH purged AS (
                DELETE FROM throttle_counter WHERE key IN (
                    SELECT key FROM throttle_counter
                    WHERE window_ends_at < now() AND NOT key = ANY(@keys)
                    ORDER BY window_ends_at LIMIT 20 FOR UPDATE SKIP LOCKED))
            INSERT INTO throttle_counter AS t (key, hits, window_ends_at)
            SELECT k, 1, now() + w * interval '1 second' FROM unnest(@keys, @windows) AS u (k, w) ORDER BY k
            ON CONFLICT (key) DO UPDATE SET
                hits = CASE WHEN t.window_ends_at <= now() THEN 1 ELSE t.hits + 1 END,
                window_ends_at = CASE WHEN t.window_ends_at <= now() THEN excluded.window_ends_at ELSE t.window_ends_at END
            RETURNING t.key, t.hits, extract(epoch FROM t.window_ends_at - now())::float8 AS seconds_left
            """, new { keys, windows }, cancellationToken: ct))).ToList();

        var retryAfter = TimeSpan.Zero;
        var allowed = true;
        for (var i = 0; i < counters.Count; i++)
        {
            var row = rows.First(r => r.Key.AsSpan().SequenceEqual(keys[i]));
            if (row.Hits <= counters[i].Permits) continue;
            allowed = false;
            var left = TimeSpan.FromSeconds(Math.Max(1, row.SecondsLeft));
            if (left > retryAfter) retryAfter = left;
        }
        return new Verdict(allowed, retryAfter);
    }
}
