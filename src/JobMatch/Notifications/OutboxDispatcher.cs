using System.Diagnostics;
using JobMatch.Notifications.Templates;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JobMatch.Notifications;

/// <summary>What one dispatch run did (counts only).</summary>
internal sealed record DispatchResult(int Sent, int Retrying, int Failed, int Cancelled)
{
    public static DispatchResult operator +(DispatchResult a, DispatchResult b) =>
        new(a.Sent + b.Sent, a.Retrying + b.Retrying, a.Failed + b.Failed, a.Cancelled + b.Cancelled);
}

/// <summary>
/// Drains the outbox: several senders side by side, each claiming due rows in batches (SKIP LOCKED), resolving each
/// recipient's current address and language, rendering, and sending over its own SMTP connection. Failures are
/// recorded at once; sends in small groups (so a crash re-sends at most one group per sender, R26).
/// Logs ids, counts and SMTP status codes only.
/// </summary>
internal sealed class OutboxDispatcher(
    NpgsqlDataSource db,
    IServiceProvider services,
    IMailTransport transport,
    MailComposer composer,
    IStringLocalizer<EmailText> text,
    OutboxFailures failures,
    IOptions<NotificationOptions> options,
    ILogger<OutboxDispatcher> logger)
{
    public async Task<DispatchResult> DispatchDueAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var clock = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, Math.Max(1, settings.Senders)).Select(_ => DrainAsync(clock, ct)));
        var total = results.Aggregate(new DispatchResult(0, 0, 0, 0), (a, b) => a + b);
        if (total != new DispatchResult(0, 0, 0, 0))
        {
            logger.LogInformation("Outbox dispatch: {Sent} sent, {Retrying} to retry, {Failed} failed, {Cancelled} cancelled in {ElapsedMs} ms",
                total.Sent, total.Retrying, total.Failed, total.Cancelled, clock.ElapsedMilliseconds);
        }
        return total;
    }

    /// <summary>One sender: its own database connection and SMTP session, claiming batches until none are due.</summary>
    private async Task<DispatchResult> DrainAsync(Stopwatch clock, CancellationToken ct)
    {
        var settings = options.Value;
        var total = new DispatchResult(0, 0, 0, 0);
        await using var session = transport.OpenSession();
        await using var connection = await db.OpenConnectionAsync(ct);
        while (clock.Elapsed < settings.MaxRunTime)
        {
            var batch = await OutboxStore.ClaimAsync(connection, OutboxChannels.Email, settings.BatchSize, settings.ClaimTimeout, ct);
            if (batch.Count == 0) break;
            var (result, transportDown) = await SendBatchAsync(connection, session, batch, ct);
            total += result;
            if (transportDown || batch.Count < settings.BatchSize) break;
        }
        return total;
    }

    private async Task<(DispatchResult, bool TransportDown)> SendBatchAsync(NpgsqlConnection connection, IMailSession session, List<OutboxRow> batch, CancellationToken ct)
    {
        var recipients = await ResolveAsync(connection, batch, ct);
        var sentNotRecorded = new List<(Guid Id, string Language)>();
        int sent = 0, retrying = 0, failed = 0, cancelled = 0;
        try
        {
            for (var i = 0; i < batch.Count; i++)
            {
                var row = batch[i];
                if (!recipients.TryGetValue(row.RecipientKind, out var ofKind))
                {
                    logger.LogError("Outbox {NotificationId}: no recipient resolver for kind {RecipientKind}", row.Id, row.RecipientKind);
                    await failures.RetryAsync(connection, row, "no resolver for recipient kind " + row.RecipientKind, ct);
                    retrying++;
                    continue;
                }
                if (!ofKind.TryGetValue(row.RecipientId, out var recipient))
                {
                    await OutboxStore.MarkCancelledAsync(connection, row.Id, "recipient unknown, erased or without address", ct);
                    logger.LogInformation("Outbox {NotificationId} cancelled: recipient unknown or erased", row.Id);
                    cancelled++;
                    continue;
                }
                if (!TryRender(row, recipient, out var email))
                {
                    await failures.FailAsync(connection, row, "template " + row.Template + " could not be rendered", ct);
                    failed++;
                    continue;
                }
                try
                {
                    await session.SendAsync(composer.Compose(row.Id, recipient, email), ct);
                    logger.LogDebug("Outbox {NotificationId} sent", row.Id);
                    sent++;
                    sentNotRecorded.Add((row.Id, email.Language));
                    if (sentNotRecorded.Count >= options.Value.MarkSentEvery)
                    {
                        await OutboxStore.MarkSentAsync(connection, sentNotRecorded, ct);
                        sentNotRecorded.Clear();
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    var failure = SendFailure.Classify(e);
                    if (failure.Permanent)
                    {
                        await failures.FailAsync(connection, row, failure.Reason, ct);
                        failed++;
                        continue;
                    }
                    await failures.RetryAsync(connection, row, failure.Reason, ct);
                    retrying++;
                    if (failure.TransportDown)
                    {
                        logger.LogWarning("Outbox {NotificationId}: mail transport unavailable ({Reason}); the rest of the batch waits", row.Id, failure.Reason);
                        foreach (var rest in batch.Skip(i + 1))
                        {
                            await failures.RetryAsync(connection, rest, failure.Reason, ct);
                            retrying++;
                        }
                        return (new DispatchResult(sent, retrying, failed, cancelled), true);
                    }
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

    /// <summary>Current address and language per recipient kind and id, read in one query per kind.</summary>
    private async Task<Dictionary<string, IReadOnlyDictionary<string, Recipient>>> ResolveAsync(NpgsqlConnection connection, List<OutboxRow> batch, CancellationToken ct)
    {
        var resolved = new Dictionary<string, IReadOnlyDictionary<string, Recipient>>();
        foreach (var group in batch.GroupBy(r => r.RecipientKind))
        {
            var resolver = services.GetKeyedService<IRecipientResolver>(group.Key);
            if (resolver is null) continue;
            resolved[group.Key] = await resolver.ResolveAsync(connection, group.Select(r => r.RecipientId).Distinct().ToList(), ct);
        }
        return resolved;
    }

    private bool TryRender(OutboxRow row, Recipient recipient, out RenderedEmail email)
    {
        email = null!;
        if (!EmailTemplates.ByName.TryGetValue(row.Template, out var template))
        {
            logger.LogError("Outbox {NotificationId}: unknown template {Template}", row.Id, row.Template);
            return false;
        }
        try
        {
            var context = new EmailContext(text, row.Language ?? recipient.Language, options.Value.PublicBaseUrl) { OneTimeLink = recipient.OneTimeLink };
            email = template.Render(row.TemplateArgs, context);
            return true;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentException or InvalidOperationException or FormatException or NotSupportedException)
        {
            logger.LogError("Outbox {NotificationId}: template {Template} failed with {ExceptionType}", row.Id, row.Template, e.GetType().Name);
            return false;
        }
    }
}
