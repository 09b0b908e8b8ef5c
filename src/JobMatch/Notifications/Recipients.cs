using Npgsql;

namespace JobMatch.Notifications;

/// <summary>Where and in which language to send, read from the recipient's current record at send time (R24).</summary>
/// <param name="Language">"en", "bn", or anything else when not known (templates that can then write both).</param>
/// <param name="OneTimeLink">A site path with a token made for this one sending (an invitation's), never stored.</param>
internal sealed record Recipient(string Address, string Language, string? OneTimeLink = null);

/// <summary>
/// Resolves recipients of one <see cref="RecipientKinds">recipient kind</see>; registered as a keyed service under
/// that kind. Ids that are unknown, erased, disabled or without an address are left out of the answer, and their
/// messages are cancelled.
/// </summary>
internal interface IRecipientResolver
{
    Task<IReadOnlyDictionary<string, Recipient>> ResolveAsync(NpgsqlConnection connection, IReadOnlyCollection<string> recipientIds, CancellationToken ct);
}

/// <summary>
/// Called when a message failed permanently, in the transaction that records the failure; registered as a keyed
/// service under the recipient kind (e.g. for seekers: tell their case worker, through the outbox).
/// </summary>
internal interface IDeliveryFailureFollowUp
{
    Task OnFailedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, FailedDelivery failed, CancellationToken ct);
}

internal sealed record FailedDelivery(Guid NotificationId, string Kind, string RecipientKind, string RecipientId);
