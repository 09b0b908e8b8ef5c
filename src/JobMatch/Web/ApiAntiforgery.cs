using Microsoft.AspNetCore.Antiforgery;

namespace JobMatch.Web;

/// <summary>
/// The JSON API uses the same sign-in cookie as the pages, so its unsafe methods need an antiforgery token too
/// (ASVS 3.5.1): a client reads one from <c>GET /api/antiforgery</c> and sends it in the <c>X-CSRF-TOKEN</c> header.
/// Razor Pages and form-bound endpoints validate their form field token themselves.
/// </summary>
internal static class ApiAntiforgery
{
    public const string HeaderName = "X-CSRF-TOKEN";

    public static WebApplicationBuilder AddApiAntiforgery(this WebApplicationBuilder builder)
    {
        var httpsOnly = builder.Configuration.GetValue("Security:HttpsOnly", false);
        builder.Services.AddAntiforgery(options =>
        {
            options.HeaderName = HeaderName;
            options.Cookie.Name = httpsOnly ? "__Host-jm-af" : "jm-af";
            options.Cookie.SecurePolicy = httpsOnly ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        });
        return builder;
    }

    public static IApplicationBuilder UseApiAntiforgery(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.Path.StartsWithSegments("/api") && !HttpMethods.IsGet(context.Request.Method)
            && !HttpMethods.IsHead(context.Request.Method) && !HttpMethods.IsOptions(context.Request.Method))
        {
            var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                await Results.Problem(
                    title: "Missing or invalid antiforgery token",
                    detail: $"Send the token from GET /api/antiforgery in the {HeaderName} header.",
                    statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(context);
                return;
            }
        }
        await next(context);
    });

    public static void MapAntiforgeryToken(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/antiforgery", (HttpContext context, IAntiforgery antiforgery) =>
        {
            var tokens = antiforgery.GetAndStoreTokens(context);
            return Results.Ok(new { headerName = HeaderName, token = tokens.RequestToken });
        }).AllowAnonymous().WithTags("Session");
}
