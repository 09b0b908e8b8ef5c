using JobMatch.Ranking;

namespace JobMatch.Matching;

/// <summary>
/// Why a candidate was proposed, in terms an employer and a case worker can read: the vacancy's skills met and
/// missing, the distance, the wage fit, and the features that moved the ranking most. Skill codes, numbers and
/// feature names only — no personal data; pages phrase it in English or Bangla.
/// </summary>
internal sealed record MatchExplanation(
    string[] RequiredMet,
    string[] RequiredMissing,
    string[] NiceMet,
    double? DistanceKm,
    string WageFit,
    IReadOnlyList<FeatureReason> Reasons)
{
    /// <summary>Optional skills the candidate does not hold at the asked level (absent from explanations stored before it existed).</summary>
    public string[] NiceMissing { get; init; } = [];

    public static MatchExplanation For(SeekerRankingProfile seeker, VacancyProfile vacancy, float[] features, IReadOnlyList<FeatureReason> reasons)
    {
        var held = seeker.Skills.ToDictionary(s => s.Code, s => s.Level, StringComparer.Ordinal);
        bool Meets(SkillRequirement r) => held.TryGetValue(r.Code, out var level) && level >= r.MinLevel;
        var distance = features[RankingFeatures.DistanceKm];
        return new MatchExplanation(
            vacancy.Skills.Where(r => r.Required && Meets(r)).Select(r => r.Code).ToArray(),
            vacancy.Skills.Where(r => r.Required && !Meets(r)).Select(r => r.Code).ToArray(),
            vacancy.Skills.Where(r => !r.Required && Meets(r)).Select(r => r.Code).ToArray(),
            float.IsNaN(distance) ? null : Math.Round(distance, 1),
            WageFitOf(seeker.ExpectedWageBdt, vacancy.WageMinBdt, vacancy.WageMaxBdt),
            reasons)
        {
            NiceMissing = vacancy.Skills.Where(r => !r.Required && !Meets(r)).Select(r => r.Code).ToArray(),
        };
    }

    /// <summary>"within", "above" (the vacancy pays more than the seeker expects), "below", or "unknown".</summary>
    public static string WageFitOf(double? expected, double? min, double? max)
    {
        if (expected is null || (min is null && max is null)) return "unknown";
        if (max is not null && expected > max) return "below";
        if (min is not null && expected < min) return "above";
        return "within";
    }
}
