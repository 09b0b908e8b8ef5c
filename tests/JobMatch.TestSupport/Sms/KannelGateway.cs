using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace JobMatch.Tests.Sms;

/// <summary>
/// A real Kannel for tests: bearerbox, smsbox and the fake SMSC driven by <c>fakesmsc</c>, all on free loopback
/// ports (five per gateway: admin, box link, fake SMSC, sendsms and the app's callbacks), in a run folder of its
/// own. As root the boxes run as the <c>kannel</c> user the Debian package creates (Kannel does not refuse root, but
/// nothing needs it). Stopped by PID. Phones are simulated by fakesmsc: every message it receives is a line
/// "Got message N: &lt;from to type data&gt;" in fakesmsc.out, and a line written to its FIFO
/// ("FROM TO text MESSAGE") is a message from a phone.
/// </summary>
public sealed partial class KannelGateway : IAsyncDisposable
{
    public const string Bearerbox = "/usr/sbin/bearerbox";
    public const string Smsbox = "/usr/sbin/smsbox";
    public const string FakeSmsc = "/usr/lib/kannel/test/fakesmsc";
    public const string ShortCode = "16222";
    public const string Username = "app";
    public const string Password = "test-password";
    public const string StatusPassword = "status-pw";

    private readonly List<(string Name, int Pid)> _processes = [];
    private readonly SemaphoreSlim _injectLock = new(1, 1);

    private KannelGateway(string run, int adminPort, int boxPort, int smscPort, int sendsmsPort, int appPort, string secret)
    {
        RunDirectory = run;
        AdminPort = adminPort;
        BoxPort = boxPort;
        SmscPort = smscPort;
        SendsmsPort = sendsmsPort;
        AppPort = appPort;
        Secret = secret;
    }

    public string RunDirectory { get; }
    public int AdminPort { get; }
    public int BoxPort { get; }
    public int SmscPort { get; }
    public int SendsmsPort { get; }
    /// <summary>The port the app must listen on: Kannel forwards replies to http://127.0.0.1:AppPort/sms/mo.</summary>
    public int AppPort { get; }
    public string Secret { get; }
    public Uri SendUrl => new($"http://127.0.0.1:{SendsmsPort}/cgi-bin/sendsms");

    public static bool Installed => File.Exists(Bearerbox) && File.Exists(Smsbox) && File.Exists(FakeSmsc);

    /// <summary>Why the gateway tests cannot run here, or null. Under CI a missing Kannel is a failure, not a skip.</summary>
    public static string? MissingReason => Installed ? null
        : "Kannel not installed: apt-get install kannel kannel-extras (bearerbox, smsbox, fakesmsc).";

    public static async Task<KannelGateway> StartAsync()
    {
        if (!Installed) throw new InvalidOperationException(MissingReason);
        var run = Path.Combine(Path.GetTempPath(), "jobmatch-kannel-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(run);
        var ports = FreePorts(5);
        var gateway = new KannelGateway(run, ports[0], ports[1], ports[2], ports[3], ports[4], Guid.NewGuid().ToString("N"));
        try
        {
            await gateway.StartProcessesAsync();
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }

    private static bool Root => Environment.UserName == "root";

    private async Task StartProcessesAsync()
    {
        if (Root) await RunAsync("chown", "kannel", RunDirectory);
        await File.WriteAllTextAsync(Path.Combine(RunDirectory, "kannel.conf"), KannelTestConfig.Render(this));
        Start("bearerbox", $"{Bearerbox} -v 1 {RunDirectory}/kannel.conf", "bearerbox.out");
        await WaitAsync(async () => (await StatusAsync()) is not null, "bearerbox");
        Start("smsbox", $"{Smsbox} -v 1 {RunDirectory}/kannel.conf", "smsbox.out");
        var fifo = Path.Combine(RunDirectory, "mo.fifo");
        File.Delete(fifo);
        await RunAsync("mkfifo", "-m", "666", fifo);
        // fakesmsc without message arguments reads "FROM TO text MESSAGE" lines from stdin: the FIFO, opened
        // read-write so it never sees end-of-file between two writers.
        Start("fakesmsc", $"{FakeSmsc} -H 127.0.0.1 -r {SmscPort} -i 0 <> {fifo}", "fakesmsc.out");
        await WaitAsync(async () =>
        {
            var status = await StatusAsync();
            return status is not null && status.Contains("online", StringComparison.Ordinal) && status.Contains("smsbox:", StringComparison.Ordinal)
                && await AnswersAsync(SendUrl);
        }, "fake SMSC and smsbox");
    }

    private void Start(string name, string command, string output)
    {
        var user = Root ? "exec setpriv --reuid=kannel --regid=nogroup --clear-groups -- " : "exec ";
        var info = new ProcessStartInfo("/bin/sh", ["-c", $"{user}{command} >> {RunDirectory}/{output} 2>&1"]) { UseShellExecute = false };
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start " + name);
        _processes.Add((name, process.Id));
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { UseShellExecute = false })!;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} failed ({process.ExitCode})");
    }

    private static async Task WaitAsync(Func<Task<bool>> ready, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await ready()) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"Kannel: {what} not ready within 30 s.");
    }

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public async Task<string?> StatusAsync()
    {
        try { return await Http.GetStringAsync($"http://127.0.0.1:{AdminPort}/status.txt?password={StatusPassword}"); }
        catch (HttpRequestException) { return null; }
        catch (TaskCanceledException) { return null; }
    }

    private static async Task<bool> AnswersAsync(Uri url)
    {
        try { using var _ = await Http.GetAsync(url); return true; }
        catch (HttpRequestException) { return false; }
    }

    /// <summary>A message from a phone: one line into fakesmsc's FIFO. Lines are spaced (fakesmsc's stdio
    /// buffering held back a second line written right after the first).</summary>
    public async Task InjectAsync(string from, string text)
    {
        await _injectLock.WaitAsync();
        try
        {
            await using (var fifo = new FileStream(Path.Combine(RunDirectory, "mo.fifo"), FileMode.Open, FileAccess.Write))
            {
                var line = Encoding.UTF8.GetBytes($"{from} {ShortCode} text {text}\n");
                await fifo.WriteAsync(line);
            }
            await Task.Delay(1000);
        }
        finally
        {
            _injectLock.Release();
        }
    }

    /// <summary>A message a phone received, decoded (UCS-2 parts from UTF-16BE; parts of one message are not joined).</summary>
    public sealed record Received(int Number, string From, string To, string Type, string Text);

    /// <summary>Every message the phones received so far.</summary>
    public IReadOnlyList<Received> Messages()
    {
        var path = Path.Combine(RunDirectory, "fakesmsc.out");
        if (!File.Exists(path)) return [];
        string content;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        using (var reader = new StreamReader(stream, Encoding.UTF8))
        {
            content = reader.ReadToEnd();
        }
        var messages = new List<Received>();
        var parts = new Dictionary<(string To, int Ref), SortedDictionary<int, string>>();
        foreach (Match m in GotMessage().Matches(content))
        {
            var (number, from, to, type, data) = (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value, m.Groups[5].Value);
            if (type != "udh")
            {
                messages.Add(new Received(number, from, to, type, Decode(type, data)));
                continue;
            }
            // A part of a long message: "udh <05 00 03 ref total seq> data <UCS-2 payload>"; joined when all parts are in.
            var split = data.IndexOf(" data ", StringComparison.Ordinal);
            var udh = System.Web.HttpUtility.UrlDecodeToBytes(data[..split]);
            var key = (to, (int)udh[3]);
            if (!parts.TryGetValue(key, out var got)) parts[key] = got = [];
            got[udh[5]] = Decode("ucs-2", data[(split + 6)..]);
            if (got.Count == udh[4])
            {
                messages.Add(new Received(number, from, to, "ucs-2", string.Concat(got.Values)));
                parts.Remove(key);
            }
        }
        return messages;
    }

    /// <summary>Waits (bounded) until the phone <paramref name="to"/> received a message matching the condition.</summary>
    public async Task<Received> WaitForAsync(string to, Func<Received, bool> matches, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var found = Messages().FirstOrDefault(m => m.To.TrimStart('+') == to.TrimStart('+') && matches(m));
            if (found is not null) return found;
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No matching message for {to}. Received: " + string.Join(" | ", Messages().Where(m => m.To.TrimStart('+') == to.TrimStart('+')).Select(m => m.Text)));
            }
            await Task.Delay(100);
        }
    }

    public int CountTo(string to) => Messages().Count(m => m.To.TrimStart('+') == to.TrimStart('+'));

    private static string Decode(string type, string data) => type switch
    {
        "ucs-2" => Encoding.BigEndianUnicode.GetString(System.Web.HttpUtility.UrlDecodeToBytes(data)),
        "text" or "data" => WebUtility.UrlDecode(data),
        _ => data,
    };

    [GeneratedRegex(@"Got message (\d+): <(\S+) (\S+) (\S+) (.*?)>\r?\n")]
    private static partial Regex GotMessage();

    /// <summary>Stops the gateway: SIGTERM by PID (smsbox and fakesmsc first, then bearerbox), SIGKILL after 10 s.</summary>
    public async Task StopAsync()
    {
        foreach (var name in new[] { "smsbox", "fakesmsc", "bearerbox" })
        {
            foreach (var (_, pid) in _processes.Where(p => p.Name == name).ToList())
            {
                await StopProcessAsync(pid);
                _processes.RemoveAll(p => p.Pid == pid);
            }
        }
    }

    private static async Task StopProcessAsync(int pid)
    {
        Process process;
        try { process = Process.GetProcessById(pid); }
        catch (ArgumentException) { return; }
        using (process)
        {
            if (process.HasExited) return;
            await RunAsync("kill", "-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)).ContinueWith(_ => { });
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await process.WaitForExitAsync(timeout.Token); }
            catch (OperationCanceledException) { process.Kill(); }
        }
    }

    /// <summary>Starts bearerbox again with the same configuration (after <see cref="StopAsync"/>): the gateway comes back.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartProcessesAsync();
    }

    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        listeners.ForEach(l => l.Stop());
        return ports;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { Directory.Delete(RunDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
