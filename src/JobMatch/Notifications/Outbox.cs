using System.Text.Json;
using Dapper;
using Npgsql;

namespace JobMatch.Notifications;

/// <summary>
/// Writes notifications to the outbox in the caller's transaction, so an e-mail exists exactly when the change that
/// caused it was committed (R26). Sending happens later, in <see cref="OutboxDispatcher"/>.
/// </summary>
internal sealed class Outbox(INotificationTriggers triggers)
{
    internal static readonly JsonSerializerOptions ArgsJson = new(JsonSerializerDefaults.Web);

    /// <returns>True when the row was written; false when a message with the same dedupe key already exists.</returns>
    public async Task<bool> EnqueueAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, NewOutboxMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (!RecipientKinds.All.Contains(message.RecipientKind))
        {
            throw new ArgumentException($"Unknown recipient kind '{message.RecipientKind}'.", nameof(message));
        }
        var args = JsonSerializer.Serialize(message.Args, message.Args.GetType(), ArgsJson);
        var written = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO outbox_message (id, kind, recipient_kind, recipient_id, template, template_args, dedupe_key)
            VALUES (@Id, @Kind, @RecipientKind, @RecipientId, @Template, @args::jsonb, @DedupeKey)
            ON CONFLICT (dedupe_key) DO NOTHING
            """,
            new { message.Id, message.Kind, message.RecipientKind, message.RecipientId, message.Template, args, message.DedupeKey },
            transaction, cancellationToken: ct));
        return written == 1;
    }

    /// <summary>
    /// Asks for a dispatch now instead of at the next scheduled run. Call it after the commit: the recurring
    /// schedule delivers the message anyway, this only shortens the wait.
    /// </summary>
    public void DispatchSoon() => triggers.DispatchSoon();
}
