using MimeKit;

namespace JobMatch.Notifications;

/// <summary>
/// With no SMTP server configured, writes each e-mail to <c>&lt;data folder&gt;/mail/&lt;notification id&gt;.eml</c>
/// (listed on the admin outbox page). Named by notification id, so a repeated dispatch rewrites the same file.
/// The folder is readable by the app's user only: the files hold addresses.
/// </summary>
internal sealed class EmlFileMailTransport(MailFolder folder) : IMailTransport
{
    public IMailSession OpenSession() => new Session(folder);

    private sealed class Session(MailFolder folder) : IMailSession
    {
        public async Task SendAsync(MimeMessage message, CancellationToken ct)
        {
            var directory = folder.Ensure();
            var target = Path.Combine(directory, MailFolder.FileName(message.MessageId ?? throw new InvalidOperationException("No Message-ID.")));
            var temporary = target + ".tmp";
            await using (var stream = File.Create(temporary))
            {
                await message.WriteToAsync(stream, ct);
            }
            File.Move(temporary, target, overwrite: true);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>The folder of .eml files: <c>&lt;data folder&gt;/mail</c>.</summary>
internal sealed class MailFolder(string path)
{
    public string Path { get; } = path;

    public string Ensure() => Database.DataDirectory.EnsurePrivate(Path);

    /// <summary>"&lt;id&gt;.eml" from a Message-ID "&lt;id&gt;@jobmatch".</summary>
    public static string FileName(string messageId) => messageId.Split('@')[0] + ".eml";

    /// <summary>The files, newest first.</summary>
    public IReadOnlyList<FileInfo> List(int max) =>
        Directory.Exists(Path)
            ? new DirectoryInfo(Path).EnumerateFiles("*.eml").OrderByDescending(f => f.LastWriteTimeUtc).Take(max).ToList()
            : [];

    /// <summary>The file for a notification id, or null; the id is parsed, so no path can be smuggled in.</summary>
    public string? Find(Guid id)
    {
        var file = System.IO.Path.Combine(Path, id.ToString() + ".eml");
        return File.Exists(file) ? file : null;
    }
}
