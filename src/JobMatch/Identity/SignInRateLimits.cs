using System.Net;
using JobMatch.Web;
using Microsoft.Extensions.Localization;

namespace JobMatch.Identity;

/// <summary>
/// Throttles sign-in attempts instead of locking accounts (R12). A lock-out let anyone who knew a seeker's phone
/// number lock them out; throttling only slows the guesser down: per source address, and per user name in growing
/// windows (a minute, then an hour). A browser the owner signed in from before (<see cref="KnownDevice"/>) is counted
/// apart, so a stranger's guesses never throttle the owner. Staff keep Identity's lock-out on top (see
/// <see cref="LoginModel"/>), behind their second factor. The counters are <see cref="SharedThrottle"/>'s, in
/// PostgreSQL, so attempts spread over several web nodes count as on one (the framework's rate limiter counts per
/// process). Every sign-in POST costs the same one round trip before the account is looked up, whether the name
/// exists or not, so the throttle adds nothing a stopwatch could tell apart.
/// The same middleware counts the POSTs of pages marked with <see cref="AddressThrottleAttribute"/> per address.
/// </summary>
internal static class SignInRateLimits
{
    private const string LoginPath = "/account/login";

    private sealed record Limits(int PerUserPerMinute, int PerUserPerHour, int PerIpPerMinute, int PerDevicePerMinute, bool HttpsOnly);

    public static IServiceCollection AddSignInRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(new Limits(
            configuration.GetValue("Identity:LoginAttemptsPerUserPerMinute", 6),
            configuration.GetValue("Identity:LoginAttemptsPerUserPerHour", 30),
            configuration.GetValue("Identity:LoginAttemptsPerIpPerMinute", 30),
            configuration.GetValue("Identity:LoginAttemptsPerKnownDevicePerMinute", 10),
            configuration.GetValue("Security:HttpsOnly", false)));
        services.AddSingleton<SharedThrottle>();
        return services;
    }

    /// <summary>Counts sign-in POSTs (per address and user name, a known device apart) and the POSTs of address-throttled pages.</summary>
    public static IApplicationBuilder UseSignInRateLimits(this IApplicationBuilder app)
    {
        app.Use(async (context, next) =>
        {
            if (IsSignInPost(context))
            {
                try
                {
                    // The user name chooses the counters, so the form is read before the page does.
                    await context.Request.ReadFormAsync(context.RequestAborted);
                }
                catch (InvalidDataException)
                {
                    context.Response.StatusCode = StatusCodes.Status400BadRequest; // a malformed or oversized form
                    return;
                }
                var verdict = await context.RequestServices.GetRequiredService<SharedThrottle>()
                    .HitAsync(SignInCounters(context), context.RequestAborted);
                if (!verdict.Allowed)
                {
                    await RejectAsync(context, verdict.RetryAfter);
                    return;
                }
            }
            else if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)
                     && context.GetEndpoint()?.Metadata.GetMetadata<AddressThrottleAttribute>() is { } throttle)
            {
                var limit = context.RequestServices.GetRequiredKeyedService<IAddressThrottle>(throttle.Name);
                var verdict = await context.RequestServices.GetRequiredService<SharedThrottle>().HitAsync(
                    [new SharedThrottle.Counter("address:" + throttle.Name, Address(context), limit.Permits, limit.Window)], context.RequestAborted);
                if (!verdict.Allowed)
                {
                    context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                    context.Response.Headers.RetryAfter = Seconds(verdict.RetryAfter);
                    await limit.RejectAsync(context, context.RequestAborted);
                    return;
                }
            }
            await next(context);
        });
        return app;
    }

    private static List<SharedThrottle.Counter> SignInCounters(HttpContext context)
    {
        var limits = context.RequestServices.GetRequiredService<Limits>();
        var name = LoginModel.ThrottleKey(context.Request.Form["UserName"].ToString());
        if (KnownDevice.IsKnownFor(context, name, limits.HttpsOnly))
        {
            return [new("sign-in:device", name, limits.PerDevicePerMinute, TimeSpan.FromMinutes(1))];
        }
        return
        [
            new("sign-in:address", Address(context), limits.PerIpPerMinute, TimeSpan.FromMinutes(1)),
            new("sign-in:user", name, limits.PerUserPerMinute, TimeSpan.FromMinutes(1)),
            new("sign-in:user-hour", name, limits.PerUserPerHour, TimeSpan.FromHours(1)),
        ];
    }

    private static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static string Seconds(TimeSpan t) => ((int)Math.Ceiling(t.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static bool IsSignInPost(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method)
        && string.Equals(context.Request.Path.Value, LoginPath, StringComparison.OrdinalIgnoreCase)
        && context.Request.HasFormContentType;

    private static async Task RejectAsync(HttpContext context, TimeSpan retryAfter)
    {
        var response = context.Response;
        Observability.JobMatchMetrics.SignInThrottled();
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = Seconds(retryAfter);
        var text = context.RequestServices.GetRequiredService<IStringLocalizer<SharedText>>();
        response.ContentType = "text/html; charset=utf-8";
        await response.WriteAsync(
            $"<!doctype html><meta name=\"viewport\" content=\"width=device-width\"><title>{WebUtility.HtmlEncode(text["SignIn"])}</title>" +
            $"<p role=\"alert\">{WebUtility.HtmlEncode(text["TooManyAttempts"])}</p><p><a href=\"{LoginPath}\">{WebUtility.HtmlEncode(text["SignIn"])}</a></p>", context.RequestAborted);
    }
}

/// <summary>
/// Marks a page whose POSTs are limited per client address, across nodes, by the <see cref="IAddressThrottle"/>
/// registered (keyed) under <paramref name="name"/>; reading the page is not limited.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class AddressThrottleAttribute(string name) : Attribute
{
    public string Name => name;
}

/// <summary>A per-address limit on a page's POSTs: how many per window, and the answer past it (a 429 is set already).</summary>
internal interface IAddressThrottle
{
    int Permits { get; }
    TimeSpan Window { get; }
    Task RejectAsync(HttpContext context, CancellationToken ct);
}
