using Dapper;
using Npgsql;

namespace JobMatch.Notifications;

/// <summary>An outbox row as the admin page shows it: ids, template, state and error, no personal data.</summary>
internal sealed class OutboxEntry
{
    public Guid Id { get; set; }
    public string Kind { get; set; } = "";
    public string RecipientKind { get; set; } = "";
    public string RecipientId { get; set; } = "";
    public string Template { get; set; } = "";
    public string? Language { get; set; }
    public string Status { get; set; } = "";
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
}

/// <summary>Reads for the admin outbox page (and the admin overview: <see cref="CountsAsync"/>).</summary>
internal sealed class OutboxQueries(NpgsqlDataSource db)
{
    public async Task<IReadOnlyDictionary<string, int>> CountsAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(string Status, int Count)>(new CommandDefinition(
            "SELECT status, count(*)::int FROM outbox_message GROUP BY status", cancellationToken: ct));
        return rows.ToDictionary(r => r.Status, r => r.Count);
    }

    /// <summary>The most relevant rows of one status: the next due first for pending, the latest first otherwise.</summary>
    public async Task<IReadOnlyList<OutboxEntry>> ListAsync(string status, int limit, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var order = status is OutboxStatus.Pending or OutboxStatus.Sending ? "next_attempt_at" : "finished_at DESC";
        return (await connection.QueryAsync<OutboxEntry>(new CommandDefinition(
            $"""
            SELECT id, kind, recipient_kind, recipient_id, template, language, status, attempts, next_attempt_at, last_error, created_at, finished_at
            FROM outbox_message
            WHERE status = @status
            ORDER BY {order}
            LIMIT @limit
            """,
            new { status, limit }, cancellationToken: ct))).ToList();
    }

    /// <summary>Cancels a message that waits to be sent (admins may stop a message without reading it).</summary>
    public async Task<bool> CancelPendingAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE outbox_message SET status = 'cancelled', last_error = 'cancelled_by_admin', finished_at = now()
            WHERE id = @id AND status = 'pending'
            """,
            new { id }, cancellationToken: ct)) == 1;
    }

    /// <summary>
    /// The ids among <paramref name="ids"/> of messages an admin may open: those to staff and employers. A message to a
    /// seeker (or one the outbox no longer knows) holds a seeker's address and is never served to an admin.
    /// </summary>
    public async Task<IReadOnlySet<Guid>> OpenableAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<Guid>(new CommandDefinition(
            "SELECT id FROM outbox_message WHERE id = ANY(@ids) AND recipient_kind <> 'seeker'",
            new { ids = ids.ToArray() }, cancellationToken: ct))).ToHashSet();
    }

    /// <summary>Puts a permanently failed message back in the queue (after its address was corrected).</summary>
    public async Task<bool> RetryFailedAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE outbox_message SET status = 'pending', attempts = 0, next_attempt_at = now(), finished_at = NULL
            WHERE id = @id AND status = 'failed_permanent'
            """,
            new { id }, cancellationToken: ct)) == 1;
    }
}
