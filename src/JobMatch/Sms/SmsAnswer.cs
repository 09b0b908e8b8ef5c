namespace JobMatch.Sms;

/// <summary>
/// Reads a reply to an offer SMS: a yes or no word and the offer's 4-digit code, in either order and either script
/// ("YES 4821", "yes4821", "হ্যাঁ ৪৮২১", "না 4821"). Anything else is not an answer.
/// </summary>
internal static class SmsAnswer
{
    private static readonly string[] Yes = ["yes", "y", "ha", "haa", "hya", "হ্যা", "হা", "হ্যাঁ", "হাঁ"];
    private static readonly string[] No = ["no", "n", "na", "naa", "না", "নাহ"];

    public sealed record Parsed(bool Accept, string Code);

    public static Parsed? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 160) return null;
        var letters = new System.Text.StringBuilder();
        var digits = new System.Text.StringBuilder();
        foreach (var raw in text.Normalize(System.Text.NormalizationForm.FormC).ToLowerInvariant())
        {
            var c = raw is >= '০' and <= '৯' ? (char)('0' + (raw - '০')) : raw;
            if (char.IsAsciiDigit(c)) digits.Append(c);
            else if (char.IsLetter(c) || c is '\u0981' or '\u09CD' || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.SpacingCombiningMark)
            {
                letters.Append(c);
            }
            else if (!char.IsWhiteSpace(c) && !char.IsPunctuation(c)) return null;
        }
        if (digits.Length != 4) return null;
        var word = letters.ToString();
        // The candrabindu (ঁ) is often left out when typing on a basic phone.
        var plain = word.Replace("\u0981", "", StringComparison.Ordinal);
        if (Yes.Contains(word) || Yes.Contains(plain)) return new Parsed(true, digits.ToString());
        if (No.Contains(word) || No.Contains(plain)) return new Parsed(false, digits.ToString());
        return null;
    }
}
