using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;

namespace JobMatch.Sms;

/// <summary>
/// Sends through Kannel's sendsms interface (smsbox). What this relies on, checked against Kannel 1.4.5:
/// <list type="bullet">
/// <item>Bangla needs <c>coding=2</c> and <c>charset=UTF-8</c> together: without the coding the text arrives as
/// question marks, without the charset the UTF-8 bytes are sent as if they were UCS-2.</item>
/// <item>sendsms answers 202 ("0: Accepted for delivery") but returns no message id, so the notification id travels
/// in <c>dlr-url</c> and comes back with every delivery report.</item>
/// <item>Kannel splits long texts but silently cuts them past the user's <c>max-messages</c>, so
/// <see cref="SmsLength"/> limits the length before this is called.</item>
/// </list>
/// The URL holds the number and text, so this client logs nothing (the outbox logs ids and outcomes).
/// </summary>
internal sealed class KannelSmsTransport(IHttpClientFactory clients, IOptions<SmsOptions> options) : ISmsTransport
{
    public const string ClientName = "kannel";

    // Delivery reports wanted: 1 delivered, 2 failed, 8 accepted by the SMSC, 16 rejected by the SMSC.
    private const int DlrMask = 1 | 2 | 8 | 16;

    public string Description => "Kannel " + options.Value.Kannel.SendUrl?.GetLeftPart(UriPartial.Path);

    public async Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken ct)
    {
        var settings = options.Value;
        var kannel = settings.Kannel;
        var query = new StringBuilder();
        void Add(string name, string value) => query.Append(query.Length == 0 ? "" : "&").Append(name).Append('=').Append(Uri.EscapeDataString(value));
        Add("username", kannel.Username);
        Add("password", kannel.Password);
        Add("to", message.To.TrimStart('+'));
        if (kannel.Sender.Length > 0) Add("from", kannel.Sender);
        Add("text", message.Text);
        Add("charset", "UTF-8");
        if (SmsLength.NeedsUnicode(message.Text)) Add("coding", "2");
        if (settings.CallbackBaseUrl is { } callbackBase)
        {
            // %d is replaced by Kannel with the report's type (1, 2, 8 or 16).
            var dlr = new Uri(callbackBase, "sms/dlr").ToString() + $"?id={message.NotificationId}&key={Uri.EscapeDataString(kannel.CallbackSecret)}&status=%d";
            Add("dlr-mask", DlrMask.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Add("dlr-url", dlr);
        }
        var url = new UriBuilder(kannel.SendUrl!) { Query = query.ToString() }.Uri;
        try
        {
            using var response = await clients.CreateClient(ClientName).GetAsync(url, ct);
            return Classify(response.StatusCode);
        }
        catch (HttpRequestException e)
        {
            return new SmsSendResult(SmsSendOutcome.GatewayUnavailable, e.InnerException is SocketException s ? "socket " + s.SocketErrorCode : "HttpRequestException");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new SmsSendResult(SmsSendOutcome.GatewayUnavailable, "timeout");
        }
    }

    /// <summary>
    /// 202 accepted (or queued in Kannel for later delivery); 400 a bad message; 403 our credentials or address
    /// refused, which is the configuration's problem, not the message's, so everything waits; 5xx the gateway is in
    /// trouble (503 when its bearerbox is unreachable).
    /// </summary>
    internal static SmsSendResult Classify(HttpStatusCode status) => (int)status switch
    {
        200 or 202 => new(SmsSendOutcome.Accepted, $"Kannel {(int)status}"),
        403 or 408 or 429 or >= 500 => new(SmsSendOutcome.GatewayUnavailable, $"Kannel {(int)status}"),
        _ => new(SmsSendOutcome.Rejected, $"Kannel {(int)status}"),
    };

    /// <summary>
    /// The retry of the HTTP pipeline: only where the gateway certainly did not take the message (connection
    /// refused, 503), because sendsms has no idempotency key and a retried accepted request would be a second SMS.
    /// Longer outages are the outbox's business (backoff per message).
    /// </summary>
    internal static bool SafeToRetry(Exception? exception, HttpResponseMessage? response) =>
        response?.StatusCode == HttpStatusCode.ServiceUnavailable
        || exception is HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } };
}
