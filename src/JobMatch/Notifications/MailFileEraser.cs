using System.Text;
using JobMatch.Seekers;

namespace JobMatch.Notifications;

/// <summary>
/// Erasure's clean-up of the .eml mail folder (R22): deletes the file of every message addressed to the seeker, and
/// any other file that holds their e-mail address, phone or name (say a copy written by a dispatch that raced the
/// erasure), so the folder names them nowhere.
/// </summary>
internal sealed class MailFileEraser(MailFolder folder) : ISeekerErasureHook
{
    public async Task ErasedAsync(ErasedSeeker seeker, CancellationToken ct)
    {
        foreach (var id in seeker.MessageIds)
        {
            if (folder.Find(id) is { } path) File.Delete(path);
        }
        var needles = seeker.Needles.Select(Encoding.UTF8.GetBytes).ToList();
        if (needles.Count == 0) return;
        foreach (var file in folder.List(int.MaxValue))
        {
            var bytes = await File.ReadAllBytesAsync(file.FullName, ct);
            if (needles.Any(n => bytes.AsSpan().IndexOf(n) >= 0)) file.Delete();
        }
    }
}
