using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace JobMatch.Web;

/// <summary>
/// Unhandled errors answer with a generic message and no detail (ASVS 16.5.1); when the database cannot be reached
/// they answer 503 at once, so clients retry instead of waiting (SECURITY.md F9). API requests get a problem document here; page
/// requests get the error page (see <see cref="ErrorPages"/>).
/// </summary>
internal sealed class ErrorHandling(ILogger<ErrorHandling> logger, IHostEnvironment environment) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var unavailable = IsDatabaseUnavailable(exception);
        // Log the type and the request path only: exception messages can carry values from the request.
        // Outside Development, log the type, the request path and the stack frames only: exception messages can carry
        // values from the request or from the database (e.g. a duplicate key's value).
        if (environment.IsDevelopment())
        {
            logger.LogError(exception, "Unhandled {ExceptionType} on {Method} {Path}", exception.GetType().Name, context.Request.Method, context.Request.Path.Value);
        }
        else
        {
            logger.LogError("Unhandled {ExceptionType} on {Method} {Path} at {StackTrace}", exception.GetType().Name, context.Request.Method, context.Request.Path.Value, exception.StackTrace);
        }
        // By the request's own path: the exception handler has already rewritten Request.Path to /error.
        var path = context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerPathFeature>()?.Path ?? context.Request.Path.Value ?? "";
        if (!new PathString(path).StartsWithSegments("/api")) return false; // a person gets the error page (ErrorPages re-executes /error)
        var status = unavailable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError;
        context.Response.StatusCode = status;
        if (unavailable) context.Response.Headers.RetryAfter = "5";
        await Results.Problem(
            title: unavailable ? "Service temporarily unavailable" : "Something went wrong",
            detail: unavailable ? "The database cannot be reached just now. Please try again in a moment." : null,
            statusCode: status).ExecuteAsync(context);
        return true;
    }

    public static bool IsDatabaseUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case NpgsqlException { IsTransient: true }:
                case SocketException:
                case TimeoutException:
                case PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "08006" or "08001" or "08004" }:
                    return true;
            }
        }
        return false;
    }
}
