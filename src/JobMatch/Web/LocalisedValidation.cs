using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace JobMatch.Web;

/// <summary>
/// Validation answers in the user's language everywhere: the API's problem documents keep their field names in
/// <c>errors</c> with messages translated by the request's language (Accept-Language, cookie or profile), and the
/// model binder's own messages ("The value 'x' is not valid for …") are replaced by translated sentences.
/// </summary>
internal static class LocalisedValidation
{
    public static WebApplicationBuilder AddLocalisedValidation(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IConfigureOptions<MvcOptions>, BindingMessages>();
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            if (context.ProblemDetails is not HttpValidationProblemDetails problem) return;
            var text = context.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<ValidationText>>();
            if (problem.Title is { } title) problem.Title = FormErrors.Localise(text, title);
            foreach (var field in problem.Errors.Keys.ToList())
            {
                problem.Errors[field] = problem.Errors[field].Select(m => FormErrors.Localise(text, m)).ToArray();
            }
        });
        return builder;
    }

    private sealed class BindingMessages(IStringLocalizerFactory factory) : IConfigureOptions<MvcOptions>
    {
        public void Configure(MvcOptions options)
        {
            // The localizer reads the current UI culture at each call, so one instance serves every request.
            var text = factory.Create(typeof(ValidationText));
            string Invalid() => text["The value is not valid."];
            string Number() => text["Enter a number."];
            string Required() => text["This field is required."];
            var p = options.ModelBindingMessageProvider;
            p.SetAttemptedValueIsInvalidAccessor((_, _) => Invalid());
            p.SetNonPropertyAttemptedValueIsInvalidAccessor(_ => Invalid());
            p.SetUnknownValueIsInvalidAccessor(_ => Invalid());
            p.SetNonPropertyUnknownValueIsInvalidAccessor(Invalid);
            p.SetValueIsInvalidAccessor(_ => Invalid());
            p.SetValueMustBeANumberAccessor(_ => Number());
            p.SetNonPropertyValueMustBeANumberAccessor(Number);
            p.SetValueMustNotBeNullAccessor(_ => Required());
            p.SetMissingBindRequiredValueAccessor(_ => Required());
            p.SetMissingKeyOrValueAccessor(Required);
            p.SetMissingRequestBodyRequiredValueAccessor(Required);
        }
    }
}
