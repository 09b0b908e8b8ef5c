using Microsoft.Extensions.Options;
using Npgsql;

namespace JobMatch.Notifications;

/// <summary>
/// Records what went wrong with a claimed outbox row, for the dispatcher of every channel (e-mail, SMS): a temporary
/// failure waits with backoff until it has been tried <see cref="NotificationOptions.MaxAttempts"/> times; a permanent
/// one is recorded with the recipient kind's follow-up (e.g. the case worker alert) in the same transaction.
/// </summary>
internal sealed class OutboxFailures(IServiceProvider services, IOptions<NotificationOptions> options, ILogger<OutboxFailures> logger)
{
    public async Task RetryAsync(NpgsqlConnection connection, OutboxRow row, string reason, CancellationToken ct)
    {
        var settings = options.Value;
        if (row.Attempts >= settings.MaxAttempts)
        {
            await FailAsync(connection, row, $"gave up after {row.Attempts} attempts: {reason}", ct);
            return;
        }
        await OutboxStore.MarkRetryAsync(connection, row.Id, Backoff(row.Attempts, settings.RetryBaseDelay, settings.RetryMaxDelay), reason, ct);
    }

    /// <summary>Exponential backoff with "equal jitter": half the capped delay fixed, half random.</summary>
    public static TimeSpan Backoff(int attempts, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 30);
        var capped = Math.Min(maxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds(capped / 2 + Random.Shared.NextDouble() * capped / 2);
    }

    /// <summary>Records a permanent failure and runs the recipient kind's follow-up in the same transaction.</summary>
    public async Task FailAsync(NpgsqlConnection connection, OutboxRow row, string reason, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (await OutboxStore.MarkFailedAsync(connection, transaction, row.Id, reason, ct))
        {
            var followUp = services.GetKeyedService<IDeliveryFailureFollowUp>(row.RecipientKind);
            if (followUp is not null)
            {
                await followUp.OnFailedAsync(connection, transaction, new FailedDelivery(row.Id, row.Kind, row.RecipientKind, row.RecipientId), ct);
            }
        }
        await transaction.CommitAsync(ct);
        logger.LogWarning("Outbox {NotificationId} failed permanently: {Reason}", row.Id, reason);
    }
}
