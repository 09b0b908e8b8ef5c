using Dapper;
using Npgsql;

namespace JobMatch.Notifications;

/// <summary>The dispatcher's SQL: claiming due rows and recording what happened to each.</summary>
internal static class OutboxStore
{
    /// <summary>
    /// Claims up to <paramref name="batchSize"/> due rows. SKIP LOCKED lets several dispatchers (threads or
    /// processes) claim disjoint rows; the claim ends at <c>next_attempt_at</c>, after which a row whose dispatcher
    /// died is due again. The attempt is counted here, so a crash mid-send still counts.
    /// </summary>
    public static async Task<List<OutboxRow>> ClaimAsync(NpgsqlConnection connection, string channel, int batchSize, TimeSpan claimTimeout, CancellationToken ct) =>
        (await connection.QueryAsync<OutboxRow>(new CommandDefinition(
            """
            UPDATE outbox_message m
            SET status = 'sending', attempts = m.attempts + 1, next_attempt_at = now() + @claimTimeout
            FROM (
                SELECT id FROM outbox_message
                WHERE channel = @channel AND status IN ('pending', 'sending') AND next_attempt_at <= now()
                ORDER BY next_attempt_at
                LIMIT @batchSize
                FOR UPDATE SKIP LOCKED
            ) due
            WHERE m.id = due.id
            RETURNING m.id, m.kind, m.recipient_kind, m.recipient_id, m.template, m.template_args::text AS template_args, m.language, m.attempts
            """,
            new { channel, batchSize, claimTimeout }, cancellationToken: ct))).ToList();

    /// <summary>Marks several messages sent in one statement (one commit for a group of sends).</summary>
    public static async Task MarkSentAsync(NpgsqlConnection connection, IReadOnlyCollection<(Guid Id, string Language)> sent, CancellationToken ct)
    {
        var recorded = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE outbox_message m
            SET status = 'sent', language = v.language, sent_at = now(), finished_at = now(), last_error = NULL
            FROM unnest(@ids, @languages) AS v(id, language)
            WHERE m.id = v.id AND m.status = 'sending'
            """,
            new { ids = sent.Select(s => s.Id).ToArray(), languages = sent.Select(s => s.Language).ToArray() }, cancellationToken: ct));
        Observability.JobMatchMetrics.MessagesSent("email", recorded);
    }

    public static Task MarkRetryAsync(NpgsqlConnection connection, Guid id, TimeSpan delay, string error, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE outbox_message SET status = 'pending', next_attempt_at = now() + @delay, last_error = @error
            WHERE id = @id AND status = 'sending'
            """,
            new { id, delay, error }, cancellationToken: ct));

    public static Task MarkCancelledAsync(NpgsqlConnection connection, Guid id, string reason, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE outbox_message SET status = 'cancelled', finished_at = now(), last_error = @reason
            WHERE id = @id AND status = 'sending'
            """,
            new { id, reason }, cancellationToken: ct));

    /// <returns>True when this call recorded the failure (so its follow-up runs once).</returns>
    public static async Task<bool> MarkFailedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, string error, CancellationToken ct)
    {
        var recorded = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE outbox_message SET status = 'failed_permanent', finished_at = now(), last_error = @error
            WHERE id = @id AND status = 'sending'
            """,
            new { id, error }, transaction, cancellationToken: ct)) == 1;
        if (recorded) Observability.JobMatchMetrics.MessageFailed("email");
        return recorded;
    }
}
