using System.Text.RegularExpressions;

namespace JobMatch.Training;

/// <summary>
/// A training provider's own number for a trainee (<c>T-</c> and 8 characters, random and stored per provider and
/// seeker, migration 1301): the provider never sees case work's reference or an employer's candidate handle.
/// </summary>
internal static partial class TraineeNumber
{
    [GeneratedRegex("^T-[2-9A-HJ-NP-Z]{8}$")]
    private static partial Regex Shape();

    /// <summary>The number in canonical form, or null when it cannot be one (then nothing is looked up).</summary>
    public static string? Normalize(string? number)
    {
        var upper = number?.Trim().ToUpperInvariant();
        return upper is not null && Shape().IsMatch(upper) ? upper : null;
    }
}
