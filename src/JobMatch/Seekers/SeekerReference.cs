using System.Security.Cryptography;

namespace JobMatch.Seekers;

/// <summary>
/// The public, pseudonymous reference: <c>JS-</c> and six random characters from an alphabet without look-alikes
/// (no 0/O, 1/I/L, U/V), about 30 bits: not sequential, not guessable from another seeker's reference.
/// </summary>
internal static class SeekerReference
{
    private const string Alphabet = "23456789ABCDEFGHJKMNPQRSTWXYZ";

    public static string New() => string.Create(9, 0, static (span, _) =>
    {
        "JS-".AsSpan().CopyTo(span);
        for (var i = 3; i < span.Length; i++) span[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
    });

    /// <summary>Upper-cases and trims user input; null when it cannot be a reference (so lookups answer 404 early).</summary>
    public static string? Normalize(string? text)
    {
        var t = text?.Trim().ToUpperInvariant();
        return t is { Length: 9 } && t.StartsWith("JS-", StringComparison.Ordinal) && t[3..].All(c => char.IsAsciiLetterOrDigit(c)) ? t : null;
    }

    public static string Subject(string reference) => $"seeker:{reference}";
}
