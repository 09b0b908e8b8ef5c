using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace JobMatch.Web;

/// <summary>
/// Refuses, with a 400 problem document, a request whose path, query string, header or url-encoded form field holds
/// a control character or a lone UTF-16 surrogate: nothing in JobMatch needs one, and deeper down they turned into
/// 500s (PostgreSQL text refuses NUL; <c>LocalRedirect</c> throws on a tab; Unicode normalisation throws on a lone
/// surrogate). Form fields may hold tab and line breaks (multi-line text). Multipart forms (the CSV uploads, or any
/// form a browser sends as multipart) get the same check of their fields and of their files' field and file names;
/// the files' contents are checked by their own parsers, and JSON bodies by their validators.
/// </summary>
internal static class HostileInput
{
    public static IApplicationBuilder UseHostileInputGuard(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (await FindProblemAsync(context.Request) is { } where)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await Results.Problem(title: "Bad request", detail: $"The {where} holds a character that is not allowed.",
                    statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(context);
                return;
            }
            await next(context);
        });

    private static async Task<string?> FindProblemAsync(HttpRequest request)
    {
        if (!IsClean(request.Path.Value, allowLineBreaks: false)) return "address";
        foreach (var (key, values) in request.Query)
        {
            if (!IsClean(key, false) || values.Any(v => !IsClean(v, false))) return "query string";
        }
        foreach (var (key, values) in request.Headers)
        {
            // HTTP allows a tab inside a header value; nothing else below 0x20.
            if (values.Any(v => !IsClean(v?.Replace('\t', ' '), false))) return $"header {key}";
        }
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                if (!request.ContentType!.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
                {
                    UseEndpointLimits(request.HttpContext);
                }
                form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            }
            catch (InvalidDataException)
            {
                return "form";
            }
            foreach (var (key, values) in form)
            {
                if (!IsClean(key, false) || values.Any(v => !IsClean(v, allowLineBreaks: true))) return "form field";
            }
            if (form.Files.Any(f => !IsClean(f.Name, false) || !IsClean(f.FileName, false))) return "file name";
        }
        return null;
    }

    /// <summary>
    /// A multipart form is read here, before MVC's filters would apply the page's <c>[RequestFormLimits]</c>; so it is
    /// applied here first, or an upload page's limit would be the default. (The page's <c>[RequestSizeLimit]</c> is
    /// applied already: endpoint routing applies it when it selects the endpoint.)
    /// </summary>
    private static void UseEndpointLimits(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<IFormOptionsMetadata>() is { MultipartBodyLengthLimit: { } multipartLimit })
        {
            context.Features.Set<IFormFeature>(new FormFeature(context.Request, new FormOptions { MultipartBodyLengthLimit = multipartLimit }));
        }
    }

    /// <summary>No C0/C1 control character (tab and line breaks only where allowed) and no lone surrogate.</summary>
    public static bool IsClean(string? text, bool allowLineBreaks)
    {
        if (string.IsNullOrEmpty(text)) return true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c)) return false;
            if (char.IsControl(c) && !(allowLineBreaks && c is '\t' or '\r' or '\n')) return false;
        }
        return true;
    }
}
