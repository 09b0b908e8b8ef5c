using Dapper;
using JobMatch.Notifications.Templates;
using Npgsql;

namespace JobMatch.Notifications;

/// <summary>
/// Tells the case workers of a seeker's agency (its enabled users with role case_worker) about something they should
/// follow up, through the outbox in the caller's transaction. The messages name the seeker only by the pseudonymous
/// reference, never by name, and say nothing about the person's situation.
/// </summary>
internal sealed class CaseWorkerAlerts(Outbox outbox)
{
    /// <param name="dedupeKey">Unique per alert (the case worker's id is appended), so a repeated call alerts nobody twice.</param>
    /// <returns>How many case workers were alerted (0 when the agency has none, or when already alerted).</returns>
    public async Task<int> AlertAsync<TArgs>(NpgsqlConnection connection, NpgsqlTransaction tx, long seekerId, EmailTemplate<TArgs> template,
        Func<string, TArgs> args, string dedupeKey, CancellationToken ct) where TArgs : notnull
    {
        var caseWorkers = (await connection.QueryAsync<(Guid UserId, string Reference)>(new CommandDefinition(
            """
            SELECT u.id, s.reference
            FROM seeker s JOIN app_user u ON u.organisation_id = s.agency_id AND u.role = 'case_worker' AND NOT u.disabled
            WHERE s.id = @seekerId
            ORDER BY u.id
            """, new { seekerId }, tx, cancellationToken: ct))).ToList();
        var written = 0;
        foreach (var (userId, reference) in caseWorkers)
        {
            var message = NewOutboxMessage.Create(template, RecipientKinds.User, userId.ToString(), args(reference), $"{dedupeKey}:{userId}");
            if (await outbox.EnqueueAsync(connection, tx, message, ct)) written++;
        }
        return written;
    }
}

/// <summary>When an e-mail to a seeker failed permanently, their case workers hear of it (DeliveryFailed, reference only).</summary>
internal sealed class SeekerDeliveryFailureFollowUp(CaseWorkerAlerts alerts, ILogger<SeekerDeliveryFailureFollowUp> logger) : IDeliveryFailureFollowUp
{
    public async Task OnFailedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, FailedDelivery failed, CancellationToken ct)
    {
        if (!long.TryParse(failed.RecipientId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seekerId)) return;
        var alerted = await alerts.AlertAsync(connection, transaction, seekerId, EmailTemplates.DeliveryFailed,
            reference => new DeliveryFailedArgs(failed.NotificationId, reference), $"delivery_failed:{failed.NotificationId}", ct);
        logger.LogInformation("Outbox {NotificationId}: {CaseWorkers} case workers told of the failed delivery", failed.NotificationId, alerted);
    }
}
