using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using JobMatch.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JobMatch.Tests.Faults;

/// <summary>
/// The built app (src/JobMatch/bin/.../JobMatch.dll) as a real child process on a free loopback port, configured by
/// command-line settings, so a test can <c>kill -9</c> it (<see cref="Kill"/>) and start it again. Its console output
/// is kept (and shown on failure) and searched for the test hooks' "TEST HOOK" lines.
/// </summary>
internal sealed class AppProcess : IAsyncDisposable
{
    // A bound against hanging, not a measurement: with four builds beside the suite one start took 80 s.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private AppProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public IReadOnlyList<string> Output => [.. _output];

    /// <summary>The app's JobMatch.dll, built next to the tests by the project reference (same configuration).</summary>
    public static string DllPath
    {
        get
        {
            var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var framework = testBin.Name;                // net10.0
            var configuration = testBin.Parent!.Name;    // Debug or Release
            var root = testBin;
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "JobMatch.sln"))) root = root.Parent;
            if (root is null) throw new InvalidOperationException("JobMatch.sln not found above " + AppContext.BaseDirectory);
            var dll = Path.Combine(root.FullName, "src", "JobMatch", "bin", configuration, framework, "JobMatch.dll");
            return File.Exists(dll) ? dll : throw new InvalidOperationException("The app is not built: " + dll);
        }
    }

    internal static string SharedKek => Infrastructure.JobMatchApp.SharedKek; // one key for every host of the run (F10)

    /// <summary>Starts the app and waits until <c>/health/live</c> answers (bounded); on <paramref name="port"/> when given (a restart behind a load balancer).</summary>
    public static async Task<AppProcess> StartAsync(IReadOnlyDictionary<string, string> settings, ITestOutputHelper? log = null, int? port = null)
    {
        port ??= FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var dll = DllPath;
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        var all = new Dictionary<string, string>
        {
            ["Kestrel:Endpoints:Http:Url"] = baseAddress.ToString().TrimEnd('/'),
            ["Demo:Enabled"] = "false",
            // Production refuses to start without a key-encryption key (the Data Protection key ring is encrypted with
            // it); every child process of the run shares one, like the nodes of one deployment.
            ["Encryption:Key"] = JobMatchApp.SharedKek,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:Console:FormatterName"] = "simple",
            ["Logging:Console:FormatterOptions:SingleLine"] = "true",
        };
        foreach (var (key, value) in settings) all[key] = value;
        foreach (var (key, value) in all) info.ArgumentList.Add($"--{key}={value}");
        info.Environment["DOTNET_hostBuilder__reloadConfigOnChange"] = "false";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var app = new AppProcess(process, baseAddress);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) app._output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) app._output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();

        var clock = Stopwatch.StartNew();
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with {process.ExitCode} while starting:\n{app.Tail()}");
            }
            try
            {
                if ((await http.GetAsync("health/live")).StatusCode == HttpStatusCode.OK) break;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            if (clock.Elapsed > StartTimeout)
            {
                await app.DisposeAsync();
                throw new TimeoutException($"The app did not answer /health/live within {StartTimeout}:\n{app.Tail()}");
            }
            await Task.Delay(200);
        }
        log?.WriteLine($"app pid {process.Id} started on {baseAddress} in {clock.ElapsedMilliseconds} ms");
        return app;
    }

    /// <summary>SIGKILL: no shutdown, no flush, no finally blocks (a crash as the operating system sees it).</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: false); // SIGKILL on Linux
        _process.WaitForExit(10_000);
    }

    /// <summary>Waits (bounded) until a line of the app's output contains <paramref name="text"/>; returns that line.</summary>
    public async Task<string> WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_output.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } line) return line;
            if (_process.HasExited) break;
            await Task.Delay(100);
        }
        throw new TimeoutException($"The app never wrote '{text}' within {timeout}:\n{Tail()}");
    }

    public string Tail(int lines = 60) => string.Join('\n', _output.TakeLast(lines));

    public HttpClient CreateClient(TimeSpan? timeout = null) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = BaseAddress,
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        };

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        }
        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
