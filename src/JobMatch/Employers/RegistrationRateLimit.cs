using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace JobMatch.Employers;

/// <summary>
/// The framework rate limiter on self-registration, per client address: applications (POSTs) beyond
/// <c>Registration:PermitsPerWindow</c> (default 5) in <c>Registration:WindowMinutes</c> (default 10) answer 429.
/// Reading the form is not limited. Counts live in each process, like the sign-in throttle's.
/// </summary>
internal sealed class RegistrationRateLimit(IConfiguration configuration) : IRateLimiterPolicy<string>
{
    public const string Name = "employer-registration";

    private readonly int _permits = configuration.GetValue("Registration:PermitsPerWindow", 5);
    private readonly TimeSpan _window = TimeSpan.FromMinutes(configuration.GetValue("Registration:WindowMinutes", 10));

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => async (context, ct) =>
    {
        var text = context.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<Chambers.ChamberText>>();
        context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
        await context.HttpContext.Response.WriteAsync(text["TooManyApplications"], ct);
    };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        HttpMethods.IsGet(httpContext.Request.Method) || HttpMethods.IsHead(httpContext.Request.Method)
            ? RateLimitPartition.GetNoLimiter("read")
            : RateLimitPartition.GetFixedWindowLimiter(httpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = _permits, Window = _window, QueueLimit = 0 });
}
