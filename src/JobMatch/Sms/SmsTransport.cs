namespace JobMatch.Sms;

/// <summary>One SMS to send: the notification id (file name, delivery-report key), the number and the text.</summary>
internal sealed record SmsMessage(Guid NotificationId, string To, string Text);

/// <summary>What the gateway said. <paramref name="Detail"/> is a status code or exception type, never the number or text.</summary>
internal sealed record SmsSendResult(SmsSendOutcome Outcome, string Detail);

internal enum SmsSendOutcome
{
    /// <summary>The gateway took the message (or the file was written).</summary>
    Accepted,
    /// <summary>The gateway refused this message (bad number, bad request): retrying will not help.</summary>
    Rejected,
    /// <summary>The gateway is down, refused our credentials or is overloaded: this and the rest wait and are retried.</summary>
    GatewayUnavailable,
}

/// <summary>Where SMS go: a Kannel gateway, or files in the data folder when none is configured.</summary>
internal interface ISmsTransport
{
    /// <summary>For the operator and the admin page: "Kannel http://…/cgi-bin/sendsms" or "files in …/sms".</summary>
    string Description { get; }

    Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken ct);
}
