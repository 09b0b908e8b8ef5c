namespace JobMatch.Sms;

/// <summary>
/// How many SMS a text takes. A text in the GSM 7-bit alphabet holds 160 characters in one SMS and 153 per part
/// when split (the rest of each part carries the concatenation header); anything else (Bangla) is sent as UCS-2,
/// which holds 70 characters in one SMS and 67 per part. The gateway splits long texts itself, but past its
/// configured maximum number of parts it cuts the text without saying so, so the app enforces
/// <see cref="MaxParts"/> before sending.
/// </summary>
internal static class SmsLength
{
    public const int MaxParts = 3;

    // The GSM 03.38 default alphabet; the extension characters count twice (escape + character).
    private const string Gsm = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private const string GsmExtension = "^{}\\[~]|€";

    /// <summary>True when the text needs UCS-2 (Kannel: <c>coding=2</c>).</summary>
    public static bool NeedsUnicode(string text) => text.Any(c => !Gsm.Contains(c) && !GsmExtension.Contains(c));

    /// <summary>Characters as the network counts them (UTF-16 units in UCS-2; extension characters twice in GSM).</summary>
    public static int Units(string text) =>
        NeedsUnicode(text) ? text.Length : text.Sum(c => GsmExtension.Contains(c) ? 2 : 1);

    public static int Parts(string text)
    {
        var unicode = NeedsUnicode(text);
        var units = Units(text);
        var (single, part) = unicode ? (70, 67) : (160, 153);
        if (units <= single) return 1;
        return (units + part - 1) / part;
    }

    public static bool Fits(string text) => text.Length > 0 && Parts(text) <= MaxParts;
}
