using System.Diagnostics;
using JobMatch.Notifications;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JobMatch.Sms;

/// <summary>
/// Drains the SMS rows of the outbox like <see cref="OutboxDispatcher"/> drains e-mail: several senders side by
/// side, each claiming due rows (SKIP LOCKED) and recording sends in groups of
/// <see cref="NotificationOptions.MarkSentEvery"/>, so a crash between the gateway's acceptance and the record sends
/// at most one group again per sender (the same window as e-mail). When the gateway is unavailable the rest of the
/// batch waits with backoff. Logs ids, counts and gateway status codes only: never a number or a text.
/// </summary>
internal sealed class SmsDispatcher(
    NpgsqlDataSource db,
    ISmsTransport transport,
    SeekerPhoneResolver seekers,
    SmsTemplates templates,
    OutboxFailures failures,
    IOptions<NotificationOptions> notificationOptions,
    IOptions<SmsOptions> smsOptions,
    ILogger<SmsDispatcher> logger)
{
    public async Task<DispatchResult> DispatchDueAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, Math.Max(1, smsOptions.Value.Senders)).Select(_ => DrainAsync(clock, ct)));
        var total = results.Aggregate(new DispatchResult(0, 0, 0, 0), (a, b) => a + b);
        if (total != new DispatchResult(0, 0, 0, 0))
        {
            logger.LogInformation("SMS dispatch: {Sent} sent, {Retrying} to retry, {Failed} failed, {Cancelled} cancelled in {ElapsedMs} ms",
                total.Sent, total.Retrying, total.Failed, total.Cancelled, clock.ElapsedMilliseconds);
        }
        return total;
    }

    private async Task<DispatchResult> DrainAsync(Stopwatch clock, CancellationToken ct)
    {
        var settings = notificationOptions.Value;
        var total = new DispatchResult(0, 0, 0, 0);
        await using var connection = await db.OpenConnectionAsync(ct);
        while (clock.Elapsed < settings.MaxRunTime)
        {
            var batch = await OutboxStore.ClaimAsync(connection, OutboxChannels.Sms, settings.BatchSize, settings.ClaimTimeout, ct);
            if (batch.Count == 0) break;
            var (result, gatewayDown) = await SendBatchAsync(connection, batch, ct);
            total += result;
            if (gatewayDown || batch.Count < settings.BatchSize) break;
        }
        return total;
    }

    private async Task<(DispatchResult, bool GatewayDown)> SendBatchAsync(NpgsqlConnection connection, List<OutboxRow> batch, CancellationToken ct)
    {
        var recipients = await seekers.ResolveAsync(connection, batch.Where(r => r.RecipientKind == RecipientKinds.Seeker).Select(r => r.RecipientId).Distinct().ToList(), ct);
        var sentNotRecorded = new List<(Guid Id, string Language)>();
        int sent = 0, retrying = 0, failed = 0, cancelled = 0;
        try
        {
            for (var i = 0; i < batch.Count; i++)
            {
                var row = batch[i];
                if (row.RecipientKind != RecipientKinds.Seeker || !recipients.TryGetValue(row.RecipientId, out var recipient))
                {
                    await OutboxStore.MarkCancelledAsync(connection, row.Id, "recipient unknown, erased, without phone, consent or SMS chosen", ct);
                    cancelled++;
                    continue;
                }
                var language = row.Language ?? recipient.Language;
                string text;
                try
                {
                    text = templates.Render(row.Template, row.TemplateArgs, language);
                }
                catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
                {
                    logger.LogError("SMS {NotificationId}: template {Template} failed with {ExceptionType}", row.Id, row.Template, e.GetType().Name);
                    await failures.FailAsync(connection, row, "template " + row.Template + " could not be rendered", ct);
                    failed++;
                    continue;
                }
                var result = await transport.SendAsync(new SmsMessage(row.Id, recipient.Phone, text), ct);
                switch (result.Outcome)
                {
                    case SmsSendOutcome.Accepted:
                        sent++;
                        sentNotRecorded.Add((row.Id, language));
                        if (sentNotRecorded.Count >= notificationOptions.Value.MarkSentEvery)
                        {
                            await OutboxStore.MarkSentAsync(connection, sentNotRecorded, ct);
                            sentNotRecorded.Clear();
                        }
                        break;
                    case SmsSendOutcome.Rejected:
                        await failures.FailAsync(connection, row, result.Detail, ct);
                        failed++;
                        break;
                    default:
                        logger.LogWarning("SMS {NotificationId}: gateway unavailable ({Reason}); the rest of the batch waits", row.Id, result.Detail);
                        foreach (var rest in batch.Skip(i))
                        {
                            await failures.RetryAsync(connection, rest, "gateway: " + result.Detail, ct);
                            retrying++;
                        }
                        return (new DispatchResult(sent, retrying, failed, cancelled), true);
                }
            }
            return (new DispatchResult(sent, retrying, failed, cancelled), false);
        }
        finally
        {
            // Whatever ended the batch, record what was sent, so it is not sent again after the claim expires.
            if (sentNotRecorded.Count > 0) await OutboxStore.MarkSentAsync(connection, sentNotRecorded, CancellationToken.None);
        }
    }
}
