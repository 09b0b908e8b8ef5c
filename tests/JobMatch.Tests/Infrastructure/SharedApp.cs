namespace JobMatch.Tests.Infrastructure;

/// <summary>
/// One in-process app for all the tests of a class (<c>IClassFixture&lt;SharedApp&gt;</c>), started by the first test
/// that asks. Starting a host costs 1-2.5 s on the 2-core CI machine (about half the time of a class that started one
/// per test), so classes whose tests leave nothing in the host that another test reads share one. Not for tests that
/// count on a fresh host: per-address throttles (sign-in, registration), the board's output cache, a cached ranker,
/// settings or clocks of their own.
/// </summary>
public sealed class SharedApp : IAsyncLifetime
{
    private JobMatchApp? _app;
    private IDictionary<string, string?>? _settings;

    /// <summary>The class's app on <paramref name="database"/> (xunit v2 gives class fixtures no collection fixture, so the test passes it).</summary>
    public JobMatchApp For(PostgresFixture database) => For(database, null);

    /// <summary>The class's app with <paramref name="settings"/>: every test of the class must ask with the same ones.</summary>
    public JobMatchApp For(PostgresFixture database, IDictionary<string, string?>? settings)
    {
        if (_app is null)
        {
            _settings = settings;
            _app = new JobMatchApp(database, settings);
        }
        else if (!SameSettings(_settings, settings))
        {
            throw new InvalidOperationException("The tests of one class share one app: ask for it with the same settings.");
        }
        return _app;
    }

    private static bool SameSettings(IDictionary<string, string?>? a, IDictionary<string, string?>? b) =>
        (a ?? new Dictionary<string, string?>()).OrderBy(p => p.Key).SequenceEqual((b ?? new Dictionary<string, string?>()).OrderBy(p => p.Key));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}
