using JobMatch.Database;

namespace JobMatch.Operations;

/// <summary>
/// Which data-folder files go into a backup: everything except the embedded cluster (it is in the dump), the
/// key folder and every configured key file (never in a backup), and the mail and SMS pickup folders (messages
/// that are sent or about to be, with addresses in them) unless asked for.
/// </summary>
internal static class BackupFiles
{
    public sealed record Entry(string FullPath, string EntryName);

    public static readonly string[] AlwaysExcluded = ["postgres", "keys"];
    public static readonly string[] MessageFolders = ["mail", "sms"];

    public static IReadOnlyList<Entry> Select(IConfiguration configuration, string dataFolder, bool includeMessages)
    {
        var excluded = includeMessages ? AlwaysExcluded : [.. AlwaysExcluded, .. MessageFolders];
        var keyFiles = KeyFiles(configuration);
        var root = new DirectoryInfo(dataFolder);
        var entries = new List<Entry>();
        foreach (var file in root.EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
        {
            var relative = Path.GetRelativePath(root.FullName, file.FullName).Replace(Path.DirectorySeparatorChar, '/');
            var top = relative.Split('/')[0];
            if (excluded.Contains(top) || relative.EndsWith(".partial", StringComparison.Ordinal)) continue;
            if (keyFiles.Contains(file.FullName) || file.Extension == ".key") continue;
            entries.Add(new Entry(file.FullName, BackupManifest.FilesPrefix + relative));
        }
        return entries;
    }

    private static HashSet<string> KeyFiles(IConfiguration configuration)
    {
        var section = configuration.GetSection(Privacy.KeyEncryptionKeys.Section);
        IEnumerable<string?> files = [section["KeyFile"], .. section.GetSection("PreviousKeyFiles").Get<string[]>() ?? []];
        return files.Where(f => !string.IsNullOrWhiteSpace(f)).Select(f => Path.GetFullPath(f!)).ToHashSet(StringComparer.Ordinal);
    }
}
