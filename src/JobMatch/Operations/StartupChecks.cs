using JobMatch.Privacy;
using Npgsql;

namespace JobMatch.Operations;

/// <summary>
/// Start-up checks that refuse to serve rather than serve wrongly. A refusal ends the process with
/// <see cref="ExitCode"/> (EX_CONFIG) and one plain message; the systemd units do not restart on that code, so a
/// misconfigured node stops once instead of looping.
/// </summary>
internal static class StartupChecks
{
    public const int ExitCode = 78;

    public static async Task EnsureEncryptionKeyOpensDataAsync(this WebApplication app)
    {
        // The test suite's shared database holds data keys of many throwaway keys on purpose (key-rotation tests).
        if (app.Environment.IsEnvironment("Testing")) return;
        await using var connection = await app.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        if (await EncryptionKeyCheck.ProblemAsync(connection, app.Configuration, CancellationToken.None) is { } problem)
        {
            throw new StartupRefusedException("JobMatch cannot start: " + problem);
        }
    }
}

internal sealed class StartupRefusedException(string message) : Exception(message);
