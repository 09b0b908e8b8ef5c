using System.Text;
using Dapper;
using JobMatch.Seekers;
using Npgsql;

namespace JobMatch.Sms;

/// <summary>
/// On erasure: the offer answer codes go in the erasure's transaction (which also cancels every message still queued
/// for the seeker, SMS and e-mail); after it committed, the SMS files written for the seeker (they hold the number and
/// the text) are deleted, by notification id and, for a copy written by a dispatch that raced the erasure, by the
/// seeker's number or name in the file. The outbox rows stay, holding ids only.
/// </summary>
internal sealed class SmsErasure(SmsFolder folder, ILogger<SmsErasure> logger) : ISeekerErasureHook
{
    public Task ErasingAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long seekerId, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM sms_answer_code WHERE seeker_id = @seekerId", new { seekerId }, tx, cancellationToken: ct));

    public async Task ErasedAsync(ErasedSeeker seeker, CancellationToken ct)
    {
        var deleted = folder.Delete(seeker.MessageIds);
        var needles = seeker.Needles.Select(Encoding.UTF8.GetBytes).ToList();
        if (needles.Count > 0)
        {
            foreach (var file in folder.List(int.MaxValue))
            {
                var bytes = await File.ReadAllBytesAsync(file.FullName, ct);
                if (!needles.Any(n => bytes.AsSpan().IndexOf(n) >= 0)) continue;
                file.Delete();
                deleted++;
            }
        }
        if (deleted > 0) logger.LogInformation("Erasure: {Files} SMS files deleted", deleted);
    }
}
