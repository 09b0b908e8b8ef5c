using Microsoft.AspNetCore.Diagnostics;

namespace JobMatch.Web;

/// <summary>
/// Errors as pages for people and as problem documents for programs: an empty 4xx/5xx answer to a page request is
/// re-executed as the error page (site frame, user's language, a way home); under /api it stays a problem document.
/// </summary>
internal static class ErrorPages
{
    public static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api");

    public static WebApplication UseErrorPages(this WebApplication app)
    {
        // ErrorHandling (IExceptionHandler) answers API requests; for pages it declines and this path renders the page.
        app.UseExceptionHandler("/error");
        app.UseWhen(IsApi, api => api.UseStatusCodePages());
        // Registered on the app itself, not in a branch: only there does re-execution route /error/{0} again.
        app.UseStatusCodePagesWithReExecute("/error/{0}");
        app.Use((context, next) =>
        {
            if (IsApi(context) && context.Features.Get<IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
            // The error page for a refused form post is shown as a GET: re-executed as a POST, model binding would read the
            // form whose antiforgery check just failed, and ASP.NET Core throws on that (a 500 in place of the 400 page).
            if (context.Features.Get<IStatusCodeReExecuteFeature>() is not null || context.Features.Get<IExceptionHandlerFeature>() is not null)
            {
                context.Request.Method = HttpMethods.Get;
                context.Features.Set<Microsoft.AspNetCore.Antiforgery.IAntiforgeryValidationFeature>(null);
            }
            return next(context);
        });
        return app;
    }
}
