using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace JobMatch.Sms;

/// <summary>
/// The two addresses the gateway calls: <c>GET /sms/dlr</c> (delivery reports, from the <c>dlr-url</c> of each send)
/// and <c>POST /sms/mo</c> (replies: the text as the body, the sender in <c>X-Kannel-From</c>, which Kannel sends
/// with <c>send-sender = true</c>). Both are for the gateway only: the caller must come from loopback or an allowed
/// address and carry the shared secret (<c>key</c>); anything else is 404, as if the address did not exist. With no
/// secret configured both are off. The answer to a reply is the response body, which Kannel sends back as an SMS;
/// a Bangla answer needs <c>X-Kannel-Coding: 2</c> (and <c>accept-x-kannel-headers</c> in Kannel's service), and an
/// empty body sends nothing (<c>omit-empty</c>).
/// </summary>
internal static class SmsEndpoints
{
    public static IEndpointRouteBuilder MapSms(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/sms").AllowAnonymous().ExcludeFromDescription();
        group.MapGet("/dlr", async (HttpContext http, Guid? id, int? status, SmsDeliveryReports reports, IOptions<SmsOptions> options, CancellationToken ct) =>
        {
            if (!FromGateway(http, options.Value)) return Results.NotFound();
            if (id is not { } notificationId || status is not { } type) return Results.BadRequest();
            var result = await reports.RecordAsync(notificationId, type, ct);
            return result == SmsDeliveryReports.Result.Unknown ? Results.NotFound() : Results.Ok();
        });
        group.MapPost("/mo", async (HttpContext http, SmsReplies replies, IOptions<SmsOptions> options, CancellationToken ct) =>
        {
            if (!FromGateway(http, options.Value)) return Results.NotFound();
            using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
            var text = await reader.ReadToEndAsync(ct);
            var (_, reply) = await replies.HandleAsync(http.Request.Headers["X-Kannel-From"].ToString(), text.Length > 1000 ? "" : text, ct);
            if (reply is null) return Results.Text("", "text/plain; charset=utf-8");
            if (SmsLength.NeedsUnicode(reply)) http.Response.Headers["X-Kannel-Coding"] = "2";
            return Results.Text(reply, "text/plain; charset=utf-8", Encoding.UTF8);
        });
        return app;
    }

    /// <summary>The shared secret (compared in constant time) from loopback or an allowed source address.</summary>
    internal static bool FromGateway(HttpContext http, SmsOptions options)
    {
        var secret = options.Kannel.CallbackSecret;
        if (string.IsNullOrEmpty(secret)) return false;
        var remote = http.Connection.RemoteIpAddress;
        // In-process test hosts have no remote address; a real listener always has one.
        var allowed = remote is null || IPAddress.IsLoopback(remote)
            || options.AllowedCallbackSources.Any(a => IPAddress.TryParse(a, out var ip) && ip.Equals(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote));
        if (!allowed) return false;
        var given = Encoding.UTF8.GetBytes(http.Request.Query["key"].ToString());
        return CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(secret));
    }
}
