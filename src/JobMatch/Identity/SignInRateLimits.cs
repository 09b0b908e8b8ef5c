using System.Net;
using System.Threading.RateLimiting;
using JobMatch.Web;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace JobMatch.Identity;

/// <summary>
/// Throttles sign-in attempts with ASP.NET Core's rate limiter instead of locking accounts (R12). A lock-out let
/// anyone who knew a seeker's phone number lock them out; throttling only slows the guesser down:
/// per source address, and per user name in growing windows (a minute, then an hour). A browser the owner signed in
/// from before (<see cref="KnownDevice"/>) is counted apart, so a stranger's guesses never throttle the owner. Staff
/// keep Identity's lock-out on top (see <see cref="LoginModel"/>), behind their second factor.
/// </summary>
internal static class SignInRateLimits
{
    private const string LoginPath = "/account/login";
    private const string AttemptKey = "JobMatch.SignInAttempt";

    public static IServiceCollection AddSignInRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var httpsOnly = configuration.GetValue("Security:HttpsOnly", false);
        var perUserPerMinute = configuration.GetValue("Identity:LoginAttemptsPerUserPerMinute", 6);
        var perUserPerHour = configuration.GetValue("Identity:LoginAttemptsPerUserPerHour", 30);
        var perIpPerMinute = configuration.GetValue("Identity:LoginAttemptsPerIpPerMinute", 30);
        var perDevicePerMinute = configuration.GetValue("Identity:LoginAttemptsPerKnownDevicePerMinute", 10);

        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = RejectAsync;
            // Chained: an attempt must pass every limiter. Requests other than a sign-in POST pass all of them.
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                Limit(context => Attempt(context, httpsOnly) is { KnownDevice: false } a ? "ip:" + a.Address : null, perIpPerMinute, TimeSpan.FromMinutes(1)),
                Limit(context => Attempt(context, httpsOnly) is { KnownDevice: false } a ? "user:" + a.UserName : null, perUserPerMinute, TimeSpan.FromMinutes(1)),
                Limit(context => Attempt(context, httpsOnly) is { KnownDevice: false } a ? "user-hour:" + a.UserName : null, perUserPerHour, TimeSpan.FromHours(1)),
                Limit(context => Attempt(context, httpsOnly) is { KnownDevice: true } a ? "device:" + a.UserName : null, perDevicePerMinute, TimeSpan.FromMinutes(1)));
        });
        return services;
    }

    /// <summary>Reads a sign-in form before the rate limiter, which needs the user name to choose a partition.</summary>
    public static IApplicationBuilder UseSignInRateLimits(this IApplicationBuilder app)
    {
        app.Use(async (context, next) =>
        {
            if (IsSignInPost(context))
            {
                try
                {
                    await context.Request.ReadFormAsync(context.RequestAborted);
                }
                catch (InvalidDataException)
                {
                    context.Response.StatusCode = StatusCodes.Status400BadRequest; // a malformed or oversized form
                    return;
                }
            }
            await next(context);
        });
        return app.UseRateLimiter();
    }

    private static PartitionedRateLimiter<HttpContext> Limit(Func<HttpContext, string?> key, int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context => key(context) is { } k
            ? RateLimitPartition.GetFixedWindowLimiter(k, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = permits,
                Window = window,
                QueueLimit = 0,
            })
            : RateLimitPartition.GetNoLimiter(""));

    private static bool IsSignInPost(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method)
        && string.Equals(context.Request.Path.Value, LoginPath, StringComparison.OrdinalIgnoreCase)
        && context.Request.HasFormContentType;

    private static SignInAttempt? Attempt(HttpContext context, bool httpsOnly)
    {
        if (context.Items.TryGetValue(AttemptKey, out var cached)) return (SignInAttempt?)cached;
        SignInAttempt? attempt = null;
        if (IsSignInPost(context))
        {
            var name = LoginModel.ThrottleKey(context.Request.Form["UserName"].ToString());
            attempt = new SignInAttempt(name, context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                KnownDevice.IsKnownFor(context, name, httpsOnly));
        }
        context.Items[AttemptKey] = attempt;
        return attempt;
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken ct)
    {
        var response = rejected.HttpContext.Response;
        if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        var text = rejected.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<SharedText>>();
        response.ContentType = "text/html; charset=utf-8";
        await response.WriteAsync(
            $"<!doctype html><meta name=\"viewport\" content=\"width=device-width\"><title>{WebUtility.HtmlEncode(text["SignIn"])}</title>" +
            $"<p role=\"alert\">{WebUtility.HtmlEncode(text["TooManyAttempts"])}</p><p><a href=\"{LoginPath}\">{WebUtility.HtmlEncode(text["SignIn"])}</a></p>", ct);
    }

    private sealed record SignInAttempt(string UserName, string Address, bool KnownDevice);
}
