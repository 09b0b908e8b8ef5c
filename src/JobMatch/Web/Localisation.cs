using System.Globalization;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace JobMatch.Web;

/// <summary>
/// English and Bangla. The language is, in order: an API request's Accept-Language, the language switch's cookie, the signed-in user's preference,
/// the browser's Accept-Language, English.
/// </summary>
internal static class Localisation
{
    public static readonly CultureInfo[] Cultures = [new("en"), new("bn")];

    public static WebApplicationBuilder AddLocalisation(this WebApplicationBuilder builder)
    {
        builder.Services.AddLocalization();
        // Counts in resource strings choose their plural form ({0:plural:…|…}, see Plurals).
        builder.Services.AddSingleton<Microsoft.Extensions.Localization.ResourceManagerStringLocalizerFactory>();
        builder.Services.Replace(ServiceDescriptor.Singleton<Microsoft.Extensions.Localization.IStringLocalizerFactory, PluralLocalizerFactory>());
        // Bangla text goes out as UTF-8 characters, not numeric entities (a third of the bytes on a slow phone).
        builder.Services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(options =>
            options.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        builder.Services.Configure<RequestLocalizationOptions>(options =>
        {
            options.DefaultRequestCulture = new RequestCulture("en");
            options.SupportedCultures = Cultures;
            options.SupportedUICultures = Cultures;
            var acceptLanguage = new AcceptLanguageHeaderRequestCultureProvider();
            options.RequestCultureProviders =
            [
                // An API client says its language per request; its Accept-Language is not a browser default to override.
                new CustomRequestCultureProvider(context => context.Request.Path.StartsWithSegments("/api") && context.Request.Headers.AcceptLanguage.Count > 0
                    ? acceptLanguage.DetermineProviderCultureResult(context)
                    : Task.FromResult<ProviderCultureResult?>(null)),
                new CookieRequestCultureProvider(),
                new CustomRequestCultureProvider(context =>
                {
                    var language = context.User.FindFirst(JobMatchClaims.Language)?.Value;
                    return Task.FromResult(language is null ? null : new ProviderCultureResult(language));
                }),
                new AcceptLanguageHeaderRequestCultureProvider(),
            ];
        });
        return builder;
    }

    /// <summary>
    /// The language switch: a plain form POST (works without JavaScript), remembered in a cookie for a year. A signed-in
    /// user's switch needs the antiforgery token like every other form. An anonymous visitor's does not: the public
    /// board's pages are shared from the output cache (Vacancies/BoardCache), so they cannot carry a per-visitor token,
    /// and a forged switch could only change the language of someone who has no account session to abuse.
    /// </summary>
    public static void MapLanguageSwitch(this IEndpointRouteBuilder app) =>
        app.MapPost("/language", async (HttpContext context, Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery,
            [Microsoft.AspNetCore.Mvc.FromForm] string culture, [Microsoft.AspNetCore.Mvc.FromForm] string? returnUrl) =>
        {
            if (context.User.Identity?.IsAuthenticated == true && !await antiforgery.IsRequestValidAsync(context))
            {
                return Results.BadRequest();
            }
            var chosen = Cultures.Any(c => c.Name == culture) ? culture : "en";
            context.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, HttpOnly = true, SameSite = SameSiteMode.Lax });
            return Results.LocalRedirect(LocalUrl.SafeOrNull(returnUrl) ?? "/");
        }).AllowAnonymous().DisableAntiforgery().WithName("SwitchLanguage").ExcludeFromDescription();
}
