namespace JobMatch.Database;

/// <summary>
/// The folder JobMatch keeps its own files in: the embedded PostgreSQL cluster, the encryption key file in demo
/// mode, e-mails written as .eml files when no SMTP server is configured. Outside the repository by default.
/// </summary>
internal static class DataDirectory
{
    public const string Setting = "JobMatch:DataDirectory";

    public static string Resolve(IConfiguration configuration)
    {
        var configured = configuration[Setting];
        var path = !string.IsNullOrWhiteSpace(configured)
            ? configured
            : Environment.UserName == "root"
                // /var/lib is traversable by the postgres user that runs the embedded cluster; /root is not.
                ? "/var/lib/jobmatch"
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "jobmatch");
        Directory.CreateDirectory(path);
        return Path.GetFullPath(path);
    }

    /// <summary>Creates <paramref name="path"/> if missing, readable by the app's user only (the files in it hold
    /// addresses or numbers), and returns it.</summary>
    public static string EnsurePrivate(string path)
    {
        if (!Directory.Exists(path))
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
            else Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return path;
    }
}
