using Microsoft.Playwright;

namespace JobMatch.BrowserTests;

/// <summary>
/// One Chromium (and one Playwright driver) for the whole run instead of one per test: launching them took about 5 s a
/// test on this 2-core machine under load. Each test still works in browser contexts of its own (own cookies, storage,
/// viewport), and its <see cref="Session"/> closes them when the test ends. Launched on first use, so that a run
/// whose browser tests are all skipped (no Chromium on a developer's machine) never tries.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The shared browser for one test; dispose it at the end of the test to close the contexts it opened.</summary>
    public async Task<Session> SessionAsync() => new(await BrowserAsync());

    internal async Task<IBrowser> BrowserAsync()
    {
        await _gate.WaitAsync();
        try
        {
            _playwright ??= await Playwright.CreateAsync();
            if (_browser is not { IsConnected: true })
            {
                _browser = await BrowserApp.LaunchChromiumAsync(_playwright);
            }
            return _browser;
        }
        finally
        {
            _gate.Release();
        }
    }

    public sealed class Session(IBrowser browser) : IAsyncDisposable
    {
        private readonly HashSet<IBrowserContext> _before = [.. browser.Contexts];

        public IBrowser Browser => browser;

        public async ValueTask DisposeAsync()
        {
            foreach (var context in browser.Contexts.Where(c => !_before.Contains(c)).ToList())
            {
                await context.CloseAsync();
            }
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        _gate.Dispose();
    }
}
