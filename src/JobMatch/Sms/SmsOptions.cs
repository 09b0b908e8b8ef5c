namespace JobMatch.Sms;

/// <summary>
/// The <c>Sms</c> section. With <c>Sms:Kannel:SendUrl</c> set, SMS go through a Kannel gateway; without it (the
/// embedded default) they are written as files to the <c>sms</c> folder of the data directory.
/// </summary>
internal sealed class SmsOptions
{
    public const string Section = "Sms";

    public KannelOptions Kannel { get; set; } = new();

    /// <summary>
    /// The address at which the gateway reaches this app for delivery reports (the send carries it in
    /// <c>dlr-url</c>); e.g. <c>http://127.0.0.1:5000/</c> when Kannel runs on the same machine.
    /// </summary>
    public Uri? CallbackBaseUrl { get; set; }

    /// <summary>
    /// Source addresses allowed to call the gateway endpoints, besides loopback (e.g. the Kannel host when it runs
    /// elsewhere). Every call must also carry <see cref="KannelOptions.CallbackSecret"/>.
    /// </summary>
    public string[] AllowedCallbackSources { get; set; } = [];

    /// <summary>How long an offer can be answered by replying to its SMS.</summary>
    public int AnswerCodeDays { get; set; } = 14;

    /// <summary>The reminder is sent this long before the answer code expires.</summary>
    public int RemindDaysBeforeExpiry { get; set; } = 2;

    /// <summary>Replies one sender may send within an hour; past it, replies are ignored (nothing is sent back).</summary>
    public int RepliesPerHour { get; set; } = 10;

    /// <summary>SMS in flight to the gateway at once during a dispatch run.</summary>
    public int Senders { get; set; } = 8;
}

internal sealed class KannelOptions
{
    /// <summary>The smsbox sendsms address, e.g. <c>http://127.0.0.1:13013/cgi-bin/sendsms</c>.</summary>
    public Uri? SendUrl { get; set; }
    public string Username { get; set; } = "";
    public string Password { get; set; } = "";
    /// <summary>The sender ID (alphanumeric, registered with the operator) or short code.</summary>
    public string Sender { get; set; } = "";
    /// <summary>The shared secret Kannel sends to the app's delivery-report and reply endpoints.</summary>
    public string CallbackSecret { get; set; } = "";

    public bool Configured => SendUrl is not null;
}
