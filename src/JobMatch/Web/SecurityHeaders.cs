namespace JobMatch.Web;

/// <summary>
/// Security headers on every response (ASVS 3.4): a CSP without inline script, no framing, nosniff, no referrer;
/// and <c>Cache-Control: no-store</c> on anything served to a signed-in user, so a shared phone keeps no copy.
/// </summary>
internal static class SecurityHeaders
{
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            if (!context.Request.Path.StartsWithSegments("/admin/jobs"))
            {
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
            }
            else
            {
                // Hangfire's dashboard ships inline scripts; it is admin-only and still may not be framed.
                headers.ContentSecurityPolicy = "frame-ancestors 'none'";
            }
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            if (context.User.Identity?.IsAuthenticated == true)
            {
                headers.CacheControl = "no-store";
                headers.Pragma = "no-cache";
            }
            return Task.CompletedTask;
        });
        await next(context);
    });
}
