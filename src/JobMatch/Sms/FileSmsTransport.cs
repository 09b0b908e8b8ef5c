using System.Text;

namespace JobMatch.Sms;

/// <summary>
/// With no gateway configured, writes each SMS to <c>&lt;data folder&gt;/sms/&lt;notification id&gt;.txt</c> (number
/// and text), named by notification id so a repeated dispatch rewrites the same file. The admin outbox page lists the
/// files by name, size and time only; the folder is readable by the app's user only, because the files hold numbers.
/// </summary>
internal sealed class FileSmsTransport(SmsFolder folder) : ISmsTransport
{
    public string Description => "files in " + folder.Path;

    public async Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken ct)
    {
        var target = System.IO.Path.Combine(folder.Ensure(), message.NotificationId + ".txt");
        var temporary = target + ".tmp";
        var content = $"To: {message.To}\nParts: {SmsLength.Parts(message.Text)}\nCoding: {(SmsLength.NeedsUnicode(message.Text) ? "UCS-2" : "GSM")}\n\n{message.Text}\n";
        await File.WriteAllTextAsync(temporary, content, new UTF8Encoding(false), ct);
        File.Move(temporary, target, overwrite: true);
        return new SmsSendResult(SmsSendOutcome.Accepted, "file written");
    }
}

/// <summary>The folder of SMS files: <c>&lt;data folder&gt;/sms</c>.</summary>
internal sealed class SmsFolder(string path)
{
    public string Path { get; } = path;

    public string Ensure() => Database.DataDirectory.EnsurePrivate(Path);

    /// <summary>The files, newest first.</summary>
    public IReadOnlyList<FileInfo> List(int max) =>
        Directory.Exists(Path)
            ? new DirectoryInfo(Path).EnumerateFiles("*.txt").OrderByDescending(f => f.LastWriteTimeUtc).Take(max).ToList()
            : [];

    /// <summary>Deletes the files of these notifications (erasure); the ids are parsed Guids, so no path is smuggled in.</summary>
    public int Delete(IEnumerable<Guid> ids)
    {
        var deleted = 0;
        foreach (var id in ids)
        {
            var file = System.IO.Path.Combine(Path, id + ".txt");
            if (!File.Exists(file)) continue;
            File.Delete(file);
            deleted++;
        }
        return deleted;
    }
}
