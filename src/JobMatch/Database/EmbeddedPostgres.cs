using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace JobMatch.Database;

/// <summary>
/// A private PostgreSQL cluster run from the machine's own server binaries (initdb, pg_ctl), used when no
/// connection string is configured and by the test suite. PostgreSQL refuses to run as root, so as root every
/// server command goes through <c>runuser -u postgres</c> and the cluster folder is owned by that user.
/// </summary>
internal sealed class EmbeddedPostgres : IDisposable
{
    private readonly string _binDirectory;
    private readonly bool _asPostgresUser;
    private readonly bool _durable;
    private bool _startedHere;

    private EmbeddedPostgres(string rootDirectory, string binDirectory, bool durable)
    {
        RootDirectory = rootDirectory;
        _binDirectory = binDirectory;
        _durable = durable;
        _asPostgresUser = Environment.UserName == "root";
    }

    public string RootDirectory { get; }
    public string DataDirectory => Path.Combine(RootDirectory, "pgdata");
    public string LogFile => Path.Combine(RootDirectory, "server.log");
    private string PasswordFile => Path.Combine(RootDirectory, "superuser.password");
    public int Port { get; private set; }
    public bool StartedHere => _startedHere;

    /// <summary>Connection string for a database on this cluster (the database is created by the migrator).</summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Password = File.ReadAllText(PasswordFile).Trim(),
        Database = database,
    }.ConnectionString;

    /// <summary>
    /// Starts (creating it first if needed) the cluster kept in <paramref name="rootDirectory"/>, or attaches to it
    /// when another process already runs it. <paramref name="durable"/> = false turns fsync off (tests only).
    /// </summary>
    public static EmbeddedPostgres Start(string rootDirectory, bool durable = true, TextWriter? log = null)
    {
        var binDirectory = FindBinDirectory() ?? throw new InvalidOperationException(MissingBinariesMessage);
        var cluster = new EmbeddedPostgres(Path.GetFullPath(rootDirectory), binDirectory, durable);
        cluster.StartCore(log ?? TextWriter.Null);
        return cluster;
    }

    public const string MissingBinariesMessage =
        "JobMatch found no PostgreSQL server binaries (initdb and pg_ctl) on PATH or under /usr/lib/postgresql/*/bin, " +
        "so it cannot start its embedded database. Either install the PostgreSQL server (on Debian or Ubuntu: " +
        "'apt-get install postgresql', version 15 or later), or point JobMatch at an existing server with the setting " +
        "ConnectionStrings:JobMatch (for example the environment variable " +
        "ConnectionStrings__JobMatch=\"Host=127.0.0.1;Port=5432;Username=jobmatch;Password=...;Database=jobmatch\").";

    public static string? FindBinDirectory()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var initdb = Path.Combine(dir, "initdb");
            if (File.Exists(initdb) && File.Exists(Path.Combine(dir, "pg_ctl")))
            {
                var resolved = new FileInfo(initdb).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? initdb;
                return Path.GetDirectoryName(resolved);
            }
        }
        const string debianRoot = "/usr/lib/postgresql";
        if (!Directory.Exists(debianRoot)) return null;
        return Directory.GetDirectories(debianRoot)
            .Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
            .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
            .FirstOrDefault();
    }

    private void StartCore(TextWriter log)
    {
        Directory.CreateDirectory(RootDirectory);
        if (_asPostgresUser && !OperatingSystem.IsWindows())
        {
            // The postgres user must be able to reach the folder; the parent stays as the operator made it.
            File.SetUnixFileMode(RootDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            InitDb(log);
        }

        if (IsRunning() && TryReadPortFromPidFile() is { } runningPort && CanConnect(runningPort))
        {
            Port = runningPort;
            log.WriteLine($"Embedded PostgreSQL already running on port {Port}; attaching.");
            return;
        }

        // A postmaster.pid left by a crash (or a killed container) would make the server refuse to start when its
        // PID now belongs to another process. pg_ctl status said no server runs here, so it is stale.
        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        if (File.Exists(pidFile) && !IsRunning()) File.Delete(pidFile);

        Port = FreeLoopbackPort();
        var result = RunServerCommand("pg_ctl", ["-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "-o", ServerSettings(), "start"]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"Embedded PostgreSQL did not start (pg_ctl exit {result.ExitCode}): {result.Output}\n{TailOfLog()}");
        }
        _startedHere = true;
        log.WriteLine($"Embedded PostgreSQL started on 127.0.0.1:{Port} (data in {DataDirectory}).");
    }

    private void InitDb(TextWriter log)
    {
        if (Directory.Exists(DataDirectory)) Directory.Delete(DataDirectory, recursive: true); // a half-made folder from an interrupted initdb
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        File.WriteAllText(PasswordFile, password);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(PasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        // initdb reads the password from a file the server user can read; it is removed right after.
        var initPasswordFile = Path.Combine(RootDirectory, "initdb.pw");
        File.WriteAllText(initPasswordFile, password);
        if (_asPostgresUser)
        {
            Chown(RootDirectory, recursive: true);
            Chown(PasswordFile, recursive: false, owner: "root");
        }
        try
        {
            List<string> args = ["-D", DataDirectory, "-U", "postgres", "--auth=scram-sha-256", $"--pwfile={initPasswordFile}",
                "-E", "UTF8", "--locale=C.UTF-8"];
            args.Add(_durable ? "--data-checksums" : "--no-sync");
            var result = RunServerCommand("initdb", args);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"initdb failed (exit {result.ExitCode}): {result.Output}");
            }
        }
        finally
        {
            File.Delete(initPasswordFile);
        }
        log.WriteLine($"Embedded PostgreSQL cluster created in {DataDirectory}.");
    }

    private bool IsRunning() =>
        File.Exists(Path.Combine(DataDirectory, "postmaster.pid")) &&
        RunServerCommand("pg_ctl", ["-D", DataDirectory, "status"]).ExitCode == 0;

    private int? TryReadPortFromPidFile()
    {
        try
        {
            var lines = File.ReadAllLines(Path.Combine(DataDirectory, "postmaster.pid"));
            return lines.Length > 3 && int.TryParse(lines[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var port) ? port : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private bool CanConnect(int port)
    {
        try
        {
            using var client = new TcpClient();
            return client.ConnectAsync(IPAddress.Loopback, port).Wait(TimeSpan.FromSeconds(2)) && client.Connected;
        }
        catch (AggregateException)
        {
            return false;
        }
    }

    /// <summary>Stops the cluster if this process started it; a cluster another process runs is left alone.</summary>
    public void Stop(bool force = false)
    {
        if (!_startedHere && !force) return;
        RunServerCommand("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"]);
        _startedHere = false;
    }

    /// <summary>
    /// The server's command-line settings. A durable cluster (the platform, the benchmarks) gets a buffer cache sized to
    /// the machine, an eighth of its memory between PostgreSQL's default 128 MB and 4 GB, as a server set up for one
    /// application would: with the default, the nightly pass over 100,000 seekers (seeker, match, consent and
    /// seeker_skill together about 250 MB) evicted and re-read its own pages. The test clusters keep the default and
    /// trade durability for speed instead.
    /// </summary>
    private string ServerSettings()
    {
        var settings = $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''";
        if (!_durable) return settings + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=500";
        var eighth = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 8 / (1024 * 1024);
        return settings + $" -c shared_buffers={Math.Clamp(eighth, 128, 4096)}MB";
    }

    /// <summary>Simulates a crash (test use): the server stops without a checkpoint.</summary>
    public void StopImmediately() => RunServerCommand("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);

    /// <summary>Starts a stopped cluster again on the same port.</summary>
    public void Restart()
    {
        var result = RunServerCommand("pg_ctl", ["-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "-o", ServerSettings(), "start"]);
        if (result.ExitCode != 0) throw new InvalidOperationException($"pg_ctl start failed: {result.Output}\n{TailOfLog()}");
        _startedHere = true;
    }

    public void Dispose() => Stop();

    private string TailOfLog()
    {
        try
        {
            return string.Join('\n', File.ReadLines(LogFile).TakeLast(20));
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }

    private (int ExitCode, string Output) RunServerCommand(string program, IReadOnlyList<string> args)
    {
        var path = Path.Combine(_binDirectory, program);
        var info = _asPostgresUser
            ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", path, .. args])
            : new ProcessStartInfo(path, args);
        return Run(info);
    }

    private static (int ExitCode, string Output) Run(ProcessStartInfo info)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.RedirectStandardInput = true;
        info.UseShellExecute = false;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {info.FileName}.");
        process.StandardInput.Close();
        // Read both streams concurrently: pg_ctl start leaves the server holding inherited handles otherwise.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, (stdout.Result + stderr.Result).Trim());
    }

    private static void Chown(string path, bool recursive, string owner = "postgres")
    {
        List<string> args = recursive ? ["-R", owner, path] : [owner, path];
        var (exitCode, output) = Run(new ProcessStartInfo("chown", args));
        if (exitCode != 0) throw new InvalidOperationException($"chown {owner} {path} failed: {output}");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
