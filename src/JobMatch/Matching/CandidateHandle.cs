using System.Text.RegularExpressions;

namespace JobMatch.Matching;

/// <summary>
/// The employer's name for a candidate: a random handle per (vacancy, seeker), stored on the match (migration 1300),
/// never derived from the reference case work uses, so two vacancies' cards of one person share nothing.
/// </summary>
internal static partial class CandidateHandle
{
    [GeneratedRegex("^C-[2-9A-HJ-NP-Z]{8}$")]
    private static partial Regex Shape();

    /// <summary>The handle in canonical form, or null when it cannot be one (then nothing is looked up).</summary>
    public static string? Normalize(string? handle)
    {
        var upper = handle?.Trim().ToUpperInvariant();
        return upper is not null && Shape().IsMatch(upper) ? upper : null;
    }

    /// <summary>Experience in the bands employers see (exact months, with other attributes, can single a person out).</summary>
    public static string ExperienceBand(int months) => months switch
    {
        < 6 => "under-6m",
        <= 24 => "6-24m",
        <= 60 => "2-5y",
        _ => "over-5y",
    };

    public static readonly string[] ExperienceBands = ["under-6m", "6-24m", "2-5y", "over-5y"];
}
