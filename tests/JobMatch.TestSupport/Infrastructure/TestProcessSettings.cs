using System.Runtime.CompilerServices;

namespace JobMatch.Tests.Infrastructure;

/// <summary>
/// Process-wide settings for a test run, applied before any app host starts in this process.
/// </summary>
internal static class TestProcessSettings
{
    /// <summary>
    /// The suite starts several hundred in-process app hosts. Each watches its stylesheet for <c>asp-append-version</c>
    /// through a PhysicalFileProvider, and with inotify every watcher is one of the user's 128 inotify instances; once
    /// they run out, every page fails with a 500. Polling watchers use no inotify instance.
    /// </summary>
    // CA2255 is for libraries whose initializer would surprise an application; this library's users are the test
    // runs, and the settings must be in place before the first fixture of this assembly starts a host.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void UsePollingFileWatchers()
    {
        Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "true");
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
    }
}
