using System.Globalization;
using Microsoft.AspNetCore.OutputCaching;
using Npgsql;

namespace JobMatch.Vacancies;

/// <summary>
/// Output caching of the public board (<c>/jobs</c>, <c>/jobs/{id}</c>, <c>/api/board</c>, <c>/api/board/{id}</c>) for
/// anonymous visitors only, so that a page is rendered once per change instead of once per request (issue 18, B7: 500
/// requests/s on two cores). What makes it safe across nodes:
/// <list type="bullet">
/// <item>Every write that can change what the board shows (vacancy, its skills, employer, organisation, skill names)
///   fires a statement-level trigger that sends <c>NOTIFY jobmatch_board</c> at commit (migration 2200). Every node
///   LISTENs (<see cref="BoardChangeListener"/>) and moves to a new <see cref="Generation"/>; the node that made the
///   change through the app also moves at once after its commit (<see cref="Changed"/>), without waiting for the notice.</item>
/// <item>The generation is part of the cache key, not only a tag to evict: a page rendered from data read before the
///   change but stored after the eviction lands under the old generation and is never served (eviction by tag alone
///   has that race). The tag eviction only frees memory.</item>
/// <item>Entries expire after <see cref="MaxAge"/> whatever happens (a lost LISTEN connection, a change made with
///   triggers off); the listener also moves the generation whenever it (re)connects.</item>
/// <item>The key holds the language the page was rendered in and the Bangladesh date (a vacancy leaves the board the
///   day after its closing date without any write).</item>
/// </list>
/// Never cached: a signed-in user's request (the layout shows their menu; their pages say <c>no-store</c>), anything
/// carrying an Authorization header, a response that sets a cookie, any status but 200, and requests with query keys the
/// board does not read (so nobody can plant their own text in a page others get) or a key given twice.
/// </summary>
internal sealed class BoardCache(IOutputCacheStore store, TimeProvider time) : IOutputCachePolicy
{
    public const string PolicyName = "board";
    public const string Tag = "board";
    public const string Channel = "jobmatch_board";
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(60);

    /// <summary>The query keys the board pages and API read; any other key and the response is not cached.</summary>
    private static readonly string[] QueryKeys = ["q", "sector", "upazila", "kind", "minWage", "page"];

    private long _generation;

    /// <summary>Moves on with every change notice; part of every cache key.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>After a change to what the board shows has committed: new requests render afresh on this node.</summary>
    public void Changed()
    {
        Interlocked.Increment(ref _generation);
        // Frees the entries of older generations (they can no longer be hit); nothing waits for it.
        _ = store.EvictByTagAsync(Tag, CancellationToken.None).AsTask();
    }

    ValueTask IOutputCachePolicy.CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var http = context.HttpContext;
        var request = http.Request;
        var cacheable = (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            && http.User.Identity?.IsAuthenticated != true
            && request.Headers.Authorization.Count == 0
            && request.Query.All(q => q.Value.Count <= 1 && QueryKeys.Contains(q.Key, StringComparer.OrdinalIgnoreCase));
        context.EnableOutputCaching = true;
        context.AllowCacheLookup = cacheable;
        context.AllowCacheStorage = cacheable;
        context.AllowLocking = true; // many first requests for one page after a change: one renders, the others wait for it
        context.ResponseExpirationTimeSpan = MaxAge;
        context.Tags.Add(Tag);
        var vary = context.CacheVaryByRules;
        vary.VaryByHost = true; // a page holds links built from the host
        vary.QueryKeys = QueryKeys;
        vary.VaryByValues["language"] = CultureInfo.CurrentUICulture.Name;
        vary.VaryByValues["day"] = BoardClock.Today(time).DayNumber.ToString(CultureInfo.InvariantCulture);
        vary.VaryByValues["generation"] = Generation.ToString(CultureInfo.InvariantCulture);
        return ValueTask.CompletedTask;
    }

    ValueTask IOutputCachePolicy.ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

    ValueTask IOutputCachePolicy.ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var response = context.HttpContext.Response;
        if (response.StatusCode != StatusCodes.Status200OK || response.Headers.SetCookie.Count > 0
            || context.HttpContext.User.Identity?.IsAuthenticated == true)
        {
            context.AllowCacheStorage = false;
        }
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// The named policy <see cref="BoardCache.PolicyName"/>: the options are built before the services, so the policy finds
/// the node's one <see cref="BoardCache"/> (which holds the generation) per request.
/// </summary>
internal sealed class BoardCachePolicy : IOutputCachePolicy
{
    private static IOutputCachePolicy Cache(OutputCacheContext context) => context.HttpContext.RequestServices.GetRequiredService<BoardCache>();

    public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation) => Cache(context).CacheRequestAsync(context, cancellation);

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => Cache(context).ServeFromCacheAsync(context, cancellation);

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation) => Cache(context).ServeResponseAsync(context, cancellation);
}

/// <summary>
/// LISTENs on one connection of its own for the board's change notices (sent by the triggers of migration 2200 at each
/// commit, on whichever node or tool made the change) and moves this node's board cache to a new generation for each.
/// When the connection breaks it reconnects with a growing pause; each (re)connection also moves the generation, since
/// notices sent while nobody listened are lost.
/// </summary>
internal sealed class BoardChangeListener(NpgsqlDataSource db, BoardCache cache, ILogger<BoardChangeListener> logger) : BackgroundService
{
    /// <summary>How long to wait for a notice before checking that the connection is still alive.</summary>
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often this node's board cache was moved on by the listener since start: each notice, and each (re)connection,
    /// which stands for the notices missed meanwhile.
    /// </summary>
    public long Received => Interlocked.Read(ref _received);
    private long _received;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pause = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await db.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) =>
                {
                    if (e.Channel != BoardCache.Channel) return;
                    cache.Changed();
                    Interlocked.Increment(ref _received);
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {BoardCache.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                cache.Changed(); // whatever changed while this node was not listening
                Interlocked.Increment(ref _received);
                pause = TimeSpan.FromSeconds(1);
                while (!stoppingToken.IsCancellationRequested)
                {
                    if (!await connection.WaitAsync(Heartbeat, stoppingToken))
                    {
                        await using var ping = new NpgsqlCommand("SELECT 1", connection);
                        await ping.ExecuteScalarAsync(stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or System.IO.IOException or TimeoutException or InvalidOperationException)
            {
                // Only the exception type: a database message could quote data.
                logger.LogWarning("Board change listener lost its connection ({Error}); retrying in {Seconds} s; cached board pages expire within {MaxAge} s meanwhile",
                    e.GetType().Name, pause.TotalSeconds, BoardCache.MaxAge.TotalSeconds);
                cache.Changed();
                try { await Task.Delay(pause, stoppingToken); } catch (OperationCanceledException) { return; }
                pause = TimeSpan.FromSeconds(Math.Min(pause.TotalSeconds * 2, 30));
            }
        }
    }
}
