using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace JobMatch.Web;

/// <summary>
/// Behind a reverse proxy (nginx, HAProxy) the app sees the proxy's address and plain HTTP. <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c> are believed only from the addresses listed in <c>ReverseProxy:KnownProxies</c> (and one hop
/// deep): anyone else could claim any client address (and slip past the per-address sign-in throttle) or claim HTTPS.
/// With none listed, the headers are ignored. The host name is never taken from a header: links that leave the app use
/// <c>JobMatch:PublicBaseUrl</c>.
/// </summary>
internal static class ReverseProxy
{
    public const string KnownProxiesSetting = "ReverseProxy:KnownProxies";
    public const string PublicBaseUrlSetting = "JobMatch:PublicBaseUrl";

    public static WebApplicationBuilder AddReverseProxy(this WebApplicationBuilder builder)
    {
        var proxies = KnownProxies(builder.Configuration);
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.ForwardLimit = 1;
            options.KnownProxies.Clear(); // the default trusts loopback, which on a shared host is anyone
            options.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
            {
                options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address)
                    ? address
                    : throw new InvalidOperationException($"{KnownProxiesSetting} holds '{proxy}', which is not an IP address."));
            }
        });
        _ = PublicBaseUrl(builder.Configuration); // a bad setting stops the start, not the first e-mail
        return builder;
    }

    /// <summary>First in the pipeline, so every later part (HSTS, cookies, the throttle, logs) sees the client's view.</summary>
    public static void UseReverseProxy(this WebApplication app)
    {
        if (KnownProxies(app.Configuration).Length > 0) app.UseForwardedHeaders();
    }

    /// <summary>
    /// <c>JobMatch:PublicBaseUrl</c> with a trailing slash, or null when it is not set; throws when it is not an absolute
    /// http(s) URL. Notifications reads it for the links in its messages.
    /// </summary>
    public static Uri? PublicBaseUrl(IConfiguration configuration)
    {
        if (configuration[PublicBaseUrlSetting] is not { Length: > 0 } publicBaseUrl) return null;
        return Uri.TryCreate(publicBaseUrl.TrimEnd('/') + "/", UriKind.Absolute, out var parsed) && parsed.Scheme is "https" or "http"
            ? parsed
            : throw new InvalidOperationException($"{PublicBaseUrlSetting} must be an absolute http(s) URL, not '{publicBaseUrl}'.");
    }

    private static string[] KnownProxies(IConfiguration configuration) =>
        [.. (configuration.GetSection(KnownProxiesSetting).Get<string[]>() ?? []).Where(p => !string.IsNullOrWhiteSpace(p))];
}
