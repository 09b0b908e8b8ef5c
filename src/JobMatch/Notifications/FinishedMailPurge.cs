using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JobMatch.Notifications;

/// <summary>
/// Deletes sent and cancelled outbox rows and .eml files older than <c>Notifications:KeepFinishedDays</c> (retention,
/// R23: the files hold addresses). Permanently failed rows stay until an admin has seen them. Idempotent; run nightly
/// by the background job <c>PurgeFinishedMail</c>.
/// </summary>
internal sealed class FinishedMailPurge(NpgsqlDataSource db, MailFolder folder, IOptions<NotificationOptions> options, ILogger<FinishedMailPurge> logger)
{
    public async Task PurgeAsync(CancellationToken ct)
    {
        var keep = TimeSpan.FromDays(options.Value.KeepFinishedDays);
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM outbox_message WHERE status IN ('sent', 'cancelled') AND finished_at < now() - @keep",
            new { keep }, cancellationToken: ct));

        var files = 0;
        var cutoff = DateTime.UtcNow - keep;
        foreach (var file in folder.List(int.MaxValue).Where(f => f.LastWriteTimeUtc < cutoff))
        {
            file.Delete();
            files++;
        }
        logger.LogInformation("Purged {Rows} finished outbox rows and {Files} mail files", rows, files);
    }
}
