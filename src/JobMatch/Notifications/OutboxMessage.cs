using JobMatch.Notifications.Templates;

namespace JobMatch.Notifications;

/// <summary>Who an outbox message is for. The id names a record; its address is read when sending.</summary>
internal static class RecipientKinds
{
    public const string Seeker = "seeker";
    public const string Employer = "employer";
    public const string User = "user";
    /// <summary>A staff invitation (id: the invitation's): the invitee has no account yet; Onboarding resolves it.</summary>
    public const string Invitation = "invitation";

    public static readonly string[] All = [Seeker, Employer, User, Invitation];
}

/// <summary>How an outbox message travels. The channel is fixed when the row is written; the address when it is sent.</summary>
internal static class OutboxChannels
{
    public const string Email = "email";
    public const string Sms = "sms";
}

internal static class OutboxStatus
{
    public const string Pending = "pending";
    public const string Sending = "sending";
    public const string Sent = "sent";
    public const string FailedPermanent = "failed_permanent";
    public const string Cancelled = "cancelled";
}

/// <summary>
/// A notification to write to the outbox. Build it with <see cref="Create{TArgs}"/> from a template's typed arguments,
/// so the template name and the argument shape always agree.
/// </summary>
internal sealed record NewOutboxMessage(
    Guid Id,
    string Kind,
    string RecipientKind,
    string RecipientId,
    string Template,
    object Args,
    string? DedupeKey = null,
    string Channel = OutboxChannels.Email)
{
    /// <param name="dedupeKey">Set by jobs that may run twice: a second message with the same key is not written.</param>
    public static NewOutboxMessage Create<TArgs>(EmailTemplate<TArgs> template, string recipientKind, string recipientId, TArgs args, string? dedupeKey = null)
        where TArgs : notnull =>
        new(Guid.CreateVersion7(), template.Name, recipientKind, recipientId, template.Name, args, dedupeKey);

    /// <summary>An SMS (template: an <c>Sms.SmsTemplates</c> name; arguments: ids and non-personal values).</summary>
    public static NewOutboxMessage Sms(string template, string recipientKind, string recipientId, object args, string dedupeKey) =>
        new(Guid.CreateVersion7(), template, recipientKind, recipientId, template, args, dedupeKey, OutboxChannels.Sms);
}

/// <summary>A claimed outbox row (a class with setters because Dapper materialises it).</summary>
internal sealed class OutboxRow
{
    public Guid Id { get; set; }
    public string Kind { get; set; } = "";
    public string RecipientKind { get; set; } = "";
    public string RecipientId { get; set; } = "";
    public string Template { get; set; } = "";
    public string TemplateArgs { get; set; } = "{}";
    public string? Language { get; set; }
    public int Attempts { get; set; }
}
