using System.Diagnostics;
using JobMatch.Database;
using Npgsql;

namespace JobMatch.Operations;

/// <summary>
/// PostgreSQL's own client programs (pg_dump, pg_restore) run against a connection string. The password goes in
/// PGPASSWORD, never on the command line (where <c>ps</c> would show it). The newest installed version is used: pg_dump
/// must be at least as new as the server it dumps.
/// </summary>
internal static class PostgresTools
{
    /// <summary>Runs the program to its end; <paramref name="input"/> (when given) is copied to its standard input.</summary>
    public static async Task RunAsync(string program, string connectionString, IReadOnlyList<string> args, Action<string> progress,
        CancellationToken ct, Stream? input = null)
    {
        var bin = EmbeddedPostgres.FindBinDirectory() ?? throw new OperatorException(
            $"{program} was not found. Install the PostgreSQL client programs (Debian: apt-get install postgresql-client).");
        var cs = new NpgsqlConnectionStringBuilder(connectionString);
        var info = new ProcessStartInfo(Path.Combine(bin, program))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
        };
        info.ArgumentList.Add($"--host={cs.Host ?? "127.0.0.1"}");
        info.ArgumentList.Add($"--port={cs.Port}");
        info.ArgumentList.Add($"--username={cs.Username}");
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["PGPASSWORD"] = cs.Password ?? "";
        info.Environment["PGSSLMODE"] = cs.SslMode switch
        {
            SslMode.Disable => "disable",
            SslMode.Require => "require",
            SslMode.VerifyCA => "verify-ca",
            SslMode.VerifyFull => "verify-full",
            _ => "prefer",
        };
        info.Environment["PGCONNECT_TIMEOUT"] = "10";

        using var process = Process.Start(info) ?? throw new OperatorException($"{program} did not start.");
        var errors = new List<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not { Length: > 0 } line) return;
            lock (errors) errors.Add(line);
            progress(line);
        };
        process.OutputDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) progress(line); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        if (input is not null)
        {
            try
            {
                await input.CopyToAsync(process.StandardInput.BaseStream, ct);
            }
            catch (IOException)
            {
                // The program stopped reading (it failed): its exit code and message say why.
            }
            finally
            {
                process.StandardInput.Close();
            }
        }
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            string tail;
            lock (errors) tail = string.Join('\n', errors.TakeLast(10));
            throw new OperatorException($"{program} failed (exit {process.ExitCode}):\n{tail}");
        }
    }

    /// <summary>
    /// The connection string for whole-database work: the owner role's (<c>ConnectionStrings:JobMatchOwner</c>) when set,
    /// because the app's own role may not read every table; else the app's (or the embedded cluster's, then started).
    /// </summary>
    public static string OwnerConnectionString(IConfiguration configuration, TextWriter log, out EmbeddedPostgres? embedded)
    {
        var connectionString = DatabaseExtensions.ResolveConnectionString(configuration, log, out embedded);
        return configuration.GetConnectionString("JobMatchOwner") is { Length: > 0 } owner ? owner : connectionString;
    }

    /// <summary>The same server with the maintenance database, for creating or dropping the app's database.</summary>
    public static string Maintenance(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ConnectionString;
}

/// <summary>An operator's mistake or a refused operation: the message is printed as is, without a stack trace.</summary>
internal sealed class OperatorException(string message) : Exception(message);
