namespace JobMatch.Identity;

/// <summary>Bangladeshi mobile numbers in one form (+8801XXXXXXXXX), for sign-in names and duplicate look-ups.</summary>
internal static class PhoneNumber
{
    /// <summary>The normalised number, or null when the text is not a Bangladeshi mobile number.</summary>
    public static string? Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        Span<char> digits = stackalloc char[text.Length];
        var n = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c)) digits[n++] = c;
            else if (c is >= '০' and <= '৯') digits[n++] = (char)('0' + (c - '০')); // Bangla digits
            else if (c is not (' ' or '-' or '(' or ')' or '+' or '.')) return null;
        }
        var d = digits[..n].ToString();
        if (d.StartsWith("880", StringComparison.Ordinal)) d = d[2..];
        else if (d.StartsWith("0088", StringComparison.Ordinal)) d = d[4..];
        if (d.Length == 10 && d[0] == '1') d = "0" + d;
        return d.Length == 11 && d.StartsWith("01", StringComparison.Ordinal) && d[2] is >= '3' and <= '9' ? "+88" + d : null;
    }

    public static bool LooksLikePhone(string text) => !text.Contains('@') && text.Any(char.IsDigit);
}
