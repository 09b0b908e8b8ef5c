using System.Globalization;

namespace JobMatch.Web;

/// <summary>Numbers and dates typed into forms and CSV cells; Bangla digits (০–৯) count as digits.</summary>
internal static class TextInput
{
    /// <summary>True when the text is empty (value null) or a whole number (commas allowed: "12,000").</summary>
    public static bool TryInt(string? text, out int? value)
    {
        value = null;
        var s = Ascii(text);
        if (s is null) return true;
        if (int.TryParse(s.Replace(",", ""), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
        {
            value = n;
            return true;
        }
        return false;
    }

    public static bool TryDouble(string? text, out double? value)
    {
        value = null;
        var s = Ascii(text);
        if (s is null) return true;
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
        {
            value = d;
            return true;
        }
        return false;
    }

    /// <summary>ISO dates (yyyy-MM-dd), as HTML date inputs send them and as the CSV template asks.</summary>
    public static bool TryDate(string? text, out DateOnly? value)
    {
        value = null;
        var s = Ascii(text);
        if (s is null) return true;
        if (DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            value = d;
            return true;
        }
        return false;
    }

    /// <summary>The text with Bangla digits written as ASCII digits (e.g. an ISCO code typed in Bangla).</summary>
    public static string? Digits(string? text) => Ascii(text);

    private static string? Ascii(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        return string.Create(text.Trim().Length, text.Trim(), (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = c is >= '০' and <= '৯' ? (char)('0' + (c - '০')) : c;
            }
        });
    }

    /// <summary>Trimmed text, or null when nothing but white space was typed.</summary>
    public static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>
    /// PostgreSQL text cannot hold a NUL character: without this check such input fails at the INSERT with a 500
    /// instead of a field error.
    /// </summary>
    public static void Storable(FieldErrors errors, string field, string? text)
    {
        if (text is not null && text.Contains('\0', StringComparison.Ordinal)) errors.Add(field, "InvalidCharacters");
    }
}
