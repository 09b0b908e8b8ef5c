using JobMatch.Audit;
using JobMatch.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace JobMatch.Notifications;

/// <summary>
/// The admin outbox page: metadata only (recipient kind, ids, template, status, times) of what waits, what failed for
/// good (and why) and what was sent; an admin may resend or cancel. When no SMTP server is configured, the .eml files
/// of messages to staff and employers can be opened (audited); a message to a seeker is never served to an admin:
/// admins have no access to seekers' identities (issue 14).
/// </summary>
[Authorize(Policy = Policies.Admin)]
internal sealed class OutboxModel(OutboxQueries queries, MailFolder folder, IOptions<SmtpOptions> smtp, AuditLog audit) : PageModel
{
    private const int ListLimit = 50;

    public IReadOnlyDictionary<string, int> Counts { get; private set; } = new Dictionary<string, int>();
    public IReadOnlyList<OutboxEntry> Failed { get; private set; } = [];
    public IReadOnlyList<OutboxEntry> Waiting { get; private set; } = [];
    public IReadOnlyList<OutboxEntry> Sent { get; private set; } = [];
    public IReadOnlyList<FileInfo> Files { get; private set; } = [];
    public SmtpOptions Smtp => smtp.Value;
    public string MailFolderPath => folder.Path;
    [TempData] public string? Message { get; set; }

    public int Count(string status) => Counts.GetValueOrDefault(status);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Counts = await queries.CountsAsync(ct);
        Failed = await queries.ListAsync(OutboxStatus.FailedPermanent, ListLimit, ct);
        Waiting = [.. await queries.ListAsync(OutboxStatus.Sending, ListLimit, ct), .. await queries.ListAsync(OutboxStatus.Pending, ListLimit, ct)];
        Sent = await queries.ListAsync(OutboxStatus.Sent, ListLimit, ct);
        if (!Smtp.Configured)
        {
            var files = folder.List(ListLimit * 4);
            var openable = await queries.OpenableAsync(files.Select(f => Guid.TryParse(Path.GetFileNameWithoutExtension(f.Name), out var id) ? id : Guid.Empty).ToList(), ct);
            Files = files.Where(f => Guid.TryParse(Path.GetFileNameWithoutExtension(f.Name), out var id) && openable.Contains(id)).Take(ListLimit).ToList();
        }
    }

    public async Task<IActionResult> OnGetFileAsync(Guid id, CancellationToken ct)
    {
        if (Smtp.Configured || folder.Find(id) is not { } path || !(await queries.OpenableAsync([id], ct)).Contains(id)) return NotFound();
        await audit.WriteAsync("outbox_file_read", $"notification:{id}", ct);
        return PhysicalFile(path, "message/rfc822", $"{id}.eml");
    }

    public async Task<IActionResult> OnPostCancelAsync(Guid id, CancellationToken ct)
    {
        if (await queries.CancelPendingAsync(id, ct))
        {
            await audit.WriteAsync("outbox_cancel", $"notification:{id}", ct);
            Message = "CancelledMessage";
        }
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRetryAsync(Guid id, CancellationToken ct)
    {
        if (await queries.RetryFailedAsync(id, ct))
        {
            await audit.WriteAsync("outbox_retry", $"notification:{id}", ct);
            Message = "Requeued";
        }
        return RedirectToPage();
    }
}
