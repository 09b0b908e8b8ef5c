using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using JobMatch.Tests.Faults;

namespace JobMatch.Tests.Operations;

/// <summary>
/// Debian's HAProxy (<c>/usr/sbin/haproxy</c>) as a child process on a free loopback port, balancing over the given
/// web nodes with the settings of the deployment guide (src/JobMatch/deploy/haproxy-jobmatch.cfg): round robin, a
/// health check on <c>/health/ready</c>, <c>retries</c> with <c>option redispatch</c> so a request whose connection
/// fails is sent to another node, and a response header naming the node that answered (for the test to see).
/// </summary>
internal sealed class HaproxyProcess : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/haproxy";
    public const string NodeHeader = "X-JobMatch-Node";
    private readonly Process _process;
    private readonly string _directory;
    private readonly ConcurrentQueue<string> _output = new();

    private HaproxyProcess(Process process, string directory, Uri baseAddress)
    {
        _process = process;
        _directory = directory;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static bool Installed => File.Exists(Executable);

    /// <summary>The configuration for <paramref name="nodes"/> (name, loopback port), listening on <paramref name="port"/>.</summary>
    public static string Config(int port, IEnumerable<(string Name, int Port)> nodes)
    {
        string[] lines =
        [
            "global",
            "    maxconn 512",
            "defaults",
            "    mode http",
            "    timeout connect 2s",
            "    timeout client 60s",
            "    timeout server 60s",
            "    timeout check 2s",
            // A request whose connection to a node fails (refused: the node is down and not yet marked so) is tried
            // again, the last time on another node. A request already sent to a node that dies is not retried here:
            // HAProxy cannot know whether the node acted on it; the client decides (502).
            "    retries 3",
            "    option redispatch 1",
            "frontend jobmatch",
            $"    bind 127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            "    default_backend web",
            "backend web",
            "    balance roundrobin",
            "    option httpchk",
            "    http-check send meth GET uri /health/ready ver HTTP/1.1 hdr Host localhost",
            "    http-check expect status 200",
            // X-Forwarded-For with the client's address; the app believes it from this proxy only (ReverseProxy:KnownProxies).
            "    option forwardfor",
            $"    http-response set-header {NodeHeader} %s",
            "    default-server check inter 500ms fall 2 rise 2",
            .. nodes.Select(n => $"    server {n.Name} 127.0.0.1:{n.Port.ToString(CultureInfo.InvariantCulture)}"),
            "",
        ];
        return string.Join('\n', lines);
    }

    public static async Task<HaproxyProcess> StartAsync(IEnumerable<(string Name, int Port)> nodes)
    {
        var directory = Path.Combine(Path.GetTempPath(), "jobmatch-haproxy-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var port = AppProcess.FreePort();
        var config = Path.Combine(directory, "haproxy.cfg");
        await File.WriteAllTextAsync(config, Config(port, nodes));
        var info = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // -db: stay in the foreground (the test owns the process and stops it by its id).
        foreach (var argument in new[] { "-db", "-f", config }) info.ArgumentList.Add(argument);
        var process = Process.Start(info) ?? throw new InvalidOperationException("haproxy did not start");
        var haproxy = new HaproxyProcess(process, directory, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) haproxy._output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) haproxy._output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"haproxy exited with {process.ExitCode}:\n{haproxy.Tail()}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return haproxy;
            }
            catch (SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(100);
            }
        }
    }

    public string Tail() => string.Join('\n', _output.TakeLast(40));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        }
        _process.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
