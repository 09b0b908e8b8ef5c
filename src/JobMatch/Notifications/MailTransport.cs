using MimeKit;

namespace JobMatch.Notifications;

/// <summary>Where composed e-mails go: an SMTP server, or .eml files when none is configured.</summary>
internal interface IMailTransport
{
    /// <summary>Opens a session for one dispatch run (one SMTP connection, opened on the first send).</summary>
    IMailSession OpenSession();
}

internal interface IMailSession : IAsyncDisposable
{
    /// <summary>Sends one message. Throws on failure; <see cref="SendFailure.Classify"/> says what the failure means.</summary>
    Task SendAsync(MimeMessage message, CancellationToken ct);
}

/// <summary>What a failed send means for the message and for the rest of the run.</summary>
/// <param name="Permanent">5xx: do not retry this message.</param>
/// <param name="TransportDown">The connection is unusable: stop this run, the rest of the batch retries later.</param>
/// <param name="Reason">An SMTP status or an exception type: never the server's text, which can contain the address.</param>
internal sealed record SendFailure(bool Permanent, bool TransportDown, string Reason)
{
    public static SendFailure Classify(Exception exception) => exception switch
    {
        MailKit.Net.Smtp.SmtpCommandException { ErrorCode: MailKit.Net.Smtp.SmtpErrorCode.SenderNotAccepted } e =>
            // Our own From address refused: a configuration problem, not this message's; keep everything queued.
            new(false, true, $"SMTP {(int)e.StatusCode} {e.ErrorCode}"),
        MailKit.Net.Smtp.SmtpCommandException e when (int)e.StatusCode >= 500 =>
            new(true, false, $"SMTP {(int)e.StatusCode} {e.ErrorCode}"),
        MailKit.Net.Smtp.SmtpCommandException e =>
            new(false, false, $"SMTP {(int)e.StatusCode} {e.ErrorCode}"),
        _ => new(false, true, exception.GetType().Name),
    };
}
