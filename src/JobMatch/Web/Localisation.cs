using System.Globalization;
using JobMatch.Identity;
using Microsoft.AspNetCore.Localization;

namespace JobMatch.Web;

/// <summary>
/// English and Bangla. The language is, in order: the language switch's cookie, the signed-in user's preference,
/// the browser's Accept-Language, English.
/// </summary>
internal static class Localisation
{
    public static readonly CultureInfo[] Cultures = [new("en"), new("bn")];

    public static WebApplicationBuilder AddLocalisation(this WebApplicationBuilder builder)
    {
        builder.Services.AddLocalization();
        // Bangla text goes out as UTF-8 characters, not numeric entities (a third of the bytes on a slow phone).
        builder.Services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(options =>
            options.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        builder.Services.Configure<RequestLocalizationOptions>(options =>
        {
            options.DefaultRequestCulture = new RequestCulture("en");
            options.SupportedCultures = Cultures;
            options.SupportedUICultures = Cultures;
            options.RequestCultureProviders =
            [
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

    /// <summary>The language switch: a plain form POST (works without JavaScript), remembered in a cookie for a year.</summary>
    public static void MapLanguageSwitch(this IEndpointRouteBuilder app) =>
        app.MapPost("/language", (HttpContext context, [Microsoft.AspNetCore.Mvc.FromForm] string culture, [Microsoft.AspNetCore.Mvc.FromForm] string? returnUrl) =>
        {
            var chosen = Cultures.Any(c => c.Name == culture) ? culture : "en";
            context.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, HttpOnly = true, SameSite = SameSiteMode.Lax });
            return Results.LocalRedirect(LocalUrl.SafeOrNull(returnUrl) ?? "/");
        }).AllowAnonymous().WithName("SwitchLanguage").ExcludeFromDescription();
}
