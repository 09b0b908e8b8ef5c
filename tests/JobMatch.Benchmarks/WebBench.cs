using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Benchmarks;

/// <summary>
/// B7: the real app (JobMatch.dll, the same build) as a child process on 127.0.0.1 against the benchmark database,
/// loaded by wrk at a fixed offered rate (a Lua delay() spaces all requests on one schedule; wrk's done() hook reports p95, which
/// its --latency table lacks). /health/live is the framework's ceiling; /jobs the public board; /employer an
/// employer's vacancy list, signed in (the shortlist page is not on main yet).
/// </summary>
internal sealed class WebBench(BenchRun run)
{
    private const int Rate = 500;
    private const int Connections = 20;

    public async Task RunAsync()
    {
        var w = run.Report.Add("B7", $"Web under load: wrk at {Rate} requests/s offered, {run.Scale.WebSeconds} s per page");
        var port = LoopbackPorts.Free();
        var employer = run.Loaded.Employers.First().Value;
        var userName = "bench-employer@example.org";
        await using (var host = ProductHost.Create(run.ConnectionString, new Dictionary<string, string?>()))
        {
            await TestUsers.CreateUserAsync(host.Services, Roles.Employer, employer, userName);
        }
        var appData = Path.Combine(Path.GetTempPath(), "jobmatch-bench-app-" + port.ToString(CultureInfo.InvariantCulture));
        using var app = StartApp(port, appData);
        try
        {
            var baseUrl = $"http://127.0.0.1:{port}";
            await WaitUntilLiveAsync(baseUrl, app);
            var cookie = await SignInAsync(baseUrl, userName);
            var script = Path.Combine(Path.GetTempPath(), $"jobmatch-bench-{Guid.NewGuid():N}.lua");
            await File.WriteAllTextAsync(script, LuaScript);
            try
            {
                var targets = new (string Name, string Path, string? Cookie)[]
                {
                    ("/jobs (public board)", "/jobs", null),
                    ("/employer (vacancy list)", "/employer", cookie),
                    ("/health/live (ceiling)", "/health/live", null),
                };
                foreach (var (_, path, c) in targets) await WrkAsync(script, baseUrl + path, c, 1, 100); // warm-up
                foreach (var (name, path, c) in targets)
                {
                    var r = await WrkAsync(script, baseUrl + path, c, run.Scale.WebSeconds, Rate);
                    var peer = name.StartsWith("/jobs", StringComparison.Ordinal) ? null : name;
                    void Set(string metric, double value) { if (peer is null) w.Metric(metric, value); else w.Peer(peer, metric, value); }
                    Set("offered_rps", Rate);
                    Set("achieved_rps", r.GetProperty("requests").GetDouble() / (r.GetProperty("duration_us").GetDouble() / 1e6));
                    Set("p50_ms", r.GetProperty("p50").GetDouble() / 1000);
                    Set("p95_ms", r.GetProperty("p95").GetDouble() / 1000);
                    Set("p99_ms", r.GetProperty("p99").GetDouble() / 1000);
                    Set("max_ms", r.GetProperty("max").GetDouble() / 1000);
                    Set("errors", r.GetProperty("errors").GetDouble());
                    Set("non_2xx", r.GetProperty("status").GetDouble());
                }
            }
            finally
            {
                File.Delete(script);
            }
        }
        finally
        {
            if (!app.HasExited) app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
            try { Directory.Delete(appData, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        w.Notes.Add($"wrk 4.1 (Debian), 1 thread, {Connections} connections sharing one schedule of {Rate} requests/s (Lua delay() on the monotonic clock); " +
                    "server, PostgreSQL and wrk share the 2 cores. Production environment, Warning-level logging, Hangfire server off.");
        w.Notes.Add("The employer shortlist page (/employer/vacancies/{id}/shortlist) is not on main yet: the employer's vacancy list (/employer) stands in for it.");
    }

    private Process StartApp(int port, string dataDirectory)
    {
        var dll = AppDll();
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["ConnectionStrings__JobMatch"] = run.ConnectionString;
        info.Environment["Kestrel__Endpoints__Http__Url"] = $"http://127.0.0.1:{port}";
        info.Environment["BackgroundJobs__RunServer"] = "false";
        info.Environment["Demo__Enabled"] = "false";
        info.Environment["Encryption__Key"] = JobMatchApp.SharedKek;
        info.Environment["JobMatch__DataDirectory"] = dataDirectory;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["DOTNET_gcServer"] = "0";
        // The test-support library sets this for the test suite's hundreds of hosts (TestProcessSettings); the app
        // under load watches its files as in production.
        info.Environment.Remove("DOTNET_USE_POLLING_FILE_WATCHER");
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the app.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) run.Log("app: " + line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>The app's own build output (src/JobMatch/bin/CONFIG/net10.0/JobMatch.dll), built with this project.</summary>
    private static string AppDll()
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "JobMatch", "bin", configuration, "net10.0", "JobMatch.dll");
            if (File.Exists(Path.Combine(dir.FullName, "JobMatch.sln")) && File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("src/JobMatch/bin/.../JobMatch.dll not found above " + AppContext.BaseDirectory);
    }

    private static async Task WaitUntilLiveAsync(string baseUrl, Process app)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (app.HasExited) throw new InvalidOperationException($"The app exited with {app.ExitCode} before answering.");
            try
            {
                if ((await http.GetAsync(baseUrl + "/health/ready")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException("The app did not become ready in 90 s.");
    }

    private static async Task<string> SignInAsync(string baseUrl, string userName)
    {
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(baseUrl) };
        var response = await JobMatchApp.SignInAsync(http, userName, TestUsers.Password); // the tests' sign-in, as a person would
        if (response.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"Sign-in failed: {(int)response.StatusCode}");
        var check = await http.GetAsync("/employer");
        if (check.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"/employer answered {(int)check.StatusCode} after sign-in");
        return cookies.GetCookieHeader(new Uri(baseUrl));
    }

    private static async Task<JsonElement> WrkAsync(string script, string url, string? cookie, int seconds, int rate)
    {
        var info = new ProcessStartInfo("wrk", ["-t1", $"-c{Connections}", $"-d{seconds}s", "--latency", "-s", script, url])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        info.Environment["WRK_RATE"] = rate.ToString(CultureInfo.InvariantCulture);
        info.Environment["WRK_COOKIE"] = cookie ?? "";
        using var wrk = Process.Start(info) ?? throw new InvalidOperationException("wrk did not start (apt-get install wrk).");
        var output = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        var json = output.Split('\n').LastOrDefault(l => l.StartsWith("{\"requests\"", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("wrk printed no summary: " + output + await wrk.StandardError.ReadToEndAsync());
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    /// <summary>
    /// Paces all connections of the (single) wrk thread to one shared schedule of <c>WRK_RATE</c> requests per second,
    /// read from the monotonic clock through LuaJIT's FFI: a fixed per-connection pause after each response (the
    /// former pacing) can never offer the nominal rate, because every response's latency is added to each cycle.
    /// When the server falls behind the schedule, requests go out as soon as a connection is free (closed loop).
    /// </summary>
    private const string LuaScript = """
        local ffi = require("ffi")
        ffi.cdef[[
        typedef struct { long tv_sec; long tv_nsec; } jobmatch_timespec;
        int clock_gettime(int clock, jobmatch_timespec *tp);
        ]]
        local ts = ffi.new("jobmatch_timespec")
        local function now_ms() ffi.C.clock_gettime(1, ts); return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6 end
        local interval = 1000 / tonumber(os.getenv("WRK_RATE"))
        local next_at = nil
        local cookie = os.getenv("WRK_COOKIE")
        if cookie ~= nil and cookie ~= "" then wrk.headers["Cookie"] = cookie end
        function delay()
          local t = now_ms()
          if next_at == nil then next_at = t end
          local wait = next_at - t
          next_at = next_at + interval
          if wait < 0 then return 0 end
          return wait
        end
        function done(summary, latency, requests)
          local e = summary.errors
          io.write(string.format('{"requests":%d,"duration_us":%d,"errors":%d,"status":%d,"p50":%d,"p95":%d,"p99":%d,"max":%d}\n',
            summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
            latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
        end
        """;
}
