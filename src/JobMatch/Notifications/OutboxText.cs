namespace JobMatch.Notifications;

/// <summary>Marker for the admin outbox page's words in OutboxText.resx (English) and OutboxText.bn.resx (Bangla).</summary>
public sealed class OutboxText;
