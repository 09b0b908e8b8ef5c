namespace JobMatch.Notifications;

/// <summary>The <c>Notifications</c> section: links in e-mails and how the outbox is drained.</summary>
internal sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>The site's public address, for links in e-mails.</summary>
    public Uri PublicBaseUrl { get; set; } = new("http://127.0.0.1:5000/");

    /// <summary>Rows claimed (and sent over one SMTP connection) at a time.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>SMTP connections one dispatch run uses side by side, each draining its own batches.</summary>
    public int Senders { get; set; } = 4;

    /// <summary>
    /// Sent messages are recorded in groups of this size (one statement and commit per group). A crash between the
    /// server's acceptance and the record re-sends at most this many messages per sender; 1 gives the smallest window.
    /// </summary>
    public int MarkSentEvery { get; set; } = 20;

    /// <summary>A claimed row whose dispatcher died becomes due again after this.</summary>
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>First retry delay after a temporary failure; doubled per attempt, with jitter, up to the maximum.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>After this many temporary failures a message is given up (failed permanently), about a day by default.</summary>
    public int MaxAttempts { get; set; } = 30;

    /// <summary>One dispatch run stops claiming new batches after this long (the next run continues).</summary>
    public TimeSpan MaxRunTime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Sent and cancelled rows, and .eml files, are deleted after this many days.</summary>
    public int KeepFinishedDays { get; set; } = 90;
}
