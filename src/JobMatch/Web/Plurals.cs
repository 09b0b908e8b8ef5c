using System.Globalization;
using Microsoft.Extensions.Localization;

namespace JobMatch.Web;

/// <summary>
/// Plural-aware resource strings through .NET's own composite formatting: a count's format item may carry the
/// forms of its language's plural categories, <c>{0:plural:# vacancy found|# vacancies found}</c> (one|other, as in
/// CLDR; <c>#</c> is the number), so "1 vacancies found" is fixed in the resource, not by concatenating words in code.
/// Every <c>IStringLocalizer</c> of the app formats this way (<see cref="PluralLocalizerFactory"/>, registered by <c>AddLocalisation</c>); a string without
/// <c>plural:</c> formats exactly as before.
/// </summary>
internal sealed class Plurals(CultureInfo language, CultureInfo numbers) : IFormatProvider, ICustomFormatter
{
    private const string Prefix = "plural:";

    public static string Format(CultureInfo language, CultureInfo numbers, string format, object?[] args) =>
        string.Format(new Plurals(language, numbers), format, args);

    public object? GetFormat(Type? formatType) => formatType == typeof(ICustomFormatter) ? this : numbers.GetFormat(formatType);

    public string Format(string? format, object? arg, IFormatProvider? formatProvider)
    {
        if (format is null || !format.StartsWith(Prefix, StringComparison.Ordinal) || !TryNumber(arg, out var n))
        {
            return arg is IFormattable f ? f.ToString(format, numbers) : arg?.ToString() ?? "";
        }
        var forms = format[Prefix.Length..].Split('|');
        var form = forms[Math.Min(forms.Length - 1, Category(language, n) == "one" ? 0 : 1)];
        return form.Replace("#", ((IFormattable)arg!).ToString(null, numbers), StringComparison.Ordinal);
    }

    /// <summary>
    /// CLDR plural category of an integer count: English "one" for 1; Bangla "one" for 0 and 1 (i = 0 or n = 1).
    /// Counts here are whole numbers; other languages fall back to English's rule.
    /// </summary>
    public static string Category(CultureInfo language, decimal n) => language.TwoLetterISOLanguageName switch
    {
        "bn" => n is 0 or 1 ? "one" : "other",
        _ => n == 1 ? "one" : "other",
    };

    private static bool TryNumber(object? arg, out decimal n)
    {
        switch (arg)
        {
            case int i: n = i; return true;
            case long l: n = l; return true;
            case short s: n = s; return true;
            case decimal d: n = d; return true;
            default: n = 0; return false;
        }
    }
}

/// <summary>The resource localizers, formatting their arguments with <see cref="Plurals"/>.</summary>
internal sealed class PluralLocalizerFactory(ResourceManagerStringLocalizerFactory inner) : IStringLocalizerFactory
{
    public IStringLocalizer Create(Type resourceSource) => new PluralLocalizer(inner.Create(resourceSource));

    public IStringLocalizer Create(string baseName, string location) => new PluralLocalizer(inner.Create(baseName, location));

    private sealed class PluralLocalizer(IStringLocalizer inner) : IStringLocalizer
    {
        public LocalizedString this[string name] => inner[name];

        public LocalizedString this[string name, params object[] arguments]
        {
            get
            {
                var text = inner[name];
                return new LocalizedString(name, Plurals.Format(CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture, text.Value, arguments),
                    text.ResourceNotFound, text.SearchedLocation);
            }
        }

        public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => inner.GetAllStrings(includeParentCultures);
    }
}
