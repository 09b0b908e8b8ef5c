using JobMatch.Identity;
using JobMatch.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Pages;

/// <summary>
/// The error page in the site's frame and the user's language (404, 403, 429, 500, 503…) with a way home. Pages reach it
/// by re-execution (status code pages, the exception handler); it touches no database, so it renders when that is down.
/// </summary>
[AllowAnonymous, IgnoreAntiforgeryToken]
internal sealed class ErrorModel : PageModel
{
    private static readonly int[] Known = [400, 403, 404, 405, 429, 500, 503];

    public int Code { get; private set; } = 500;
    public string TitleKey => Code == 500 ? "ErrorTitle" : $"Error{Code}Title";
    public string TextKey => Code == 500 ? "ErrorText" : $"Error{Code}Text";
    public string Home => User.Identity?.IsAuthenticated == true ? LoginModel.HomeFor(User.Role() ?? "") : "/";

    public IActionResult OnGet(int? code) => Show(code);
    public IActionResult OnPost(int? code) => Show(code);

    private PageResult Show(int? code)
    {
        var reExecuted = HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is not null;
        var exception = HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error;
        var status = exception is not null
            ? (ErrorHandling.IsDatabaseUnavailable(exception) ? 503 : 500)
            : reExecuted ? Response.StatusCode : code ?? 500;
        Code = Known.Contains(status) ? status : status >= 500 ? 500 : 400;
        Response.StatusCode = status is >= 400 and < 600 ? status : Code;
        if (Code == 503) Response.Headers.RetryAfter = "5";
        return Page();
    }
}
