namespace JobMatch.Ranking;

/// <summary>
/// The transparent score used before any model exists and whenever the model is missing or corrupt:
/// a weighted sum of features, one term per feature, so every term can be shown as a reason.
/// Weights are judgement, not fitted: skills asked for count most (that is what the employer
/// posted), then whether the seeker can and wants to take the job (travel, wage, kind of work).
/// </summary>
internal sealed class RuleRanker : IRanker
{
    /// <summary>Full coverage of the must-have skills outweighs any other single term.</summary>
    public const float RequiredCoverageWeight = 3.0f;

    /// <summary>Extra for must-haves held at the asked level rather than partly.</summary>
    public const float RequiredMetShareWeight = 1.0f;

    public const float NiceCoverageWeight = 1.0f;
    public const float CertifiedShareWeight = 0.5f;

    /// <summary>Per unit of log(1 + months): five years of relevant experience add about +1.</summary>
    public const float RelevantExperienceWeight = 0.25f;

    public const float LevelSurplusWeight = 0.2f;
    public const float LevelDeficitWeight = -0.5f;

    /// <summary>Per skill in the vacancy's sector, counting at most <see cref="SectorSkillCap"/> skills.</summary>
    public const float SectorSkillWeight = 0.1f;

    public const int SectorSkillCap = 5;

    /// <summary>A job at the edge of the seeker's travel range costs -0.5 ...</summary>
    public const float TravelRatioWeight = -0.5f;

    /// <summary>... and each km beyond it another -0.1, so a far job sinks however good the skills.</summary>
    public const float BeyondTravelKmWeight = -0.1f;

    /// <summary>Wage fit is in [-1, 1]: a wage 20% under what the seeker expects costs -0.2.</summary>
    public const float WageFitWeight = 1.0f;

    public const float WantsMatchWeight = 1.0f;
    public const float SectorPreferredWeight = 0.5f;

    /// <summary>Per education level below the vacancy's minimum; education above it earns nothing.</summary>
    public const float EducationShortfallWeight = 0.5f;

    public const float TrainingRecencyWeight = 0.3f;

    public IReadOnlyList<float> Score(string vacancyRef, IReadOnlyList<RankingCandidate> candidates) =>
        candidates.Select(c => Terms(c.Features).Sum()).ToArray();

    public IReadOnlyList<FeatureReason> Explain(float[] features, int count = 3) =>
        FeatureReasons.Top(Terms(features), count);

    /// <summary>The score's terms, one slot per feature (0 for features the rule does not use).</summary>
    public static float[] Terms(float[] f)
    {
        var t = new float[RankingFeatures.Count];
        t[RankingFeatures.RequiredCoverage] = RequiredCoverageWeight * f[RankingFeatures.RequiredCoverage];
        t[RankingFeatures.RequiredMetShare] = RequiredMetShareWeight * f[RankingFeatures.RequiredMetShare];
        t[RankingFeatures.NiceCoverage] = NiceCoverageWeight * f[RankingFeatures.NiceCoverage];
        t[RankingFeatures.CertifiedShare] = CertifiedShareWeight * f[RankingFeatures.CertifiedShare];
        t[RankingFeatures.RelevantExperience] = RelevantExperienceWeight * f[RankingFeatures.RelevantExperience];
        t[RankingFeatures.LevelSurplus] = LevelSurplusWeight * f[RankingFeatures.LevelSurplus];
        t[RankingFeatures.LevelDeficit] = LevelDeficitWeight * f[RankingFeatures.LevelDeficit];
        t[RankingFeatures.SectorSkillCount] = SectorSkillWeight * Math.Min(SectorSkillCap, f[RankingFeatures.SectorSkillCount]);
        t[RankingFeatures.TravelRatio] = TravelRatioWeight * f[RankingFeatures.TravelRatio];
        t[RankingFeatures.BeyondTravelKm] = BeyondTravelKmWeight * f[RankingFeatures.BeyondTravelKm];
        t[RankingFeatures.WageFit] = WageFitWeight * f[RankingFeatures.WageFit];
        t[RankingFeatures.WantsMatch] = WantsMatchWeight * f[RankingFeatures.WantsMatch];
        t[RankingFeatures.SectorPreferred] = SectorPreferredWeight * f[RankingFeatures.SectorPreferred];
        t[RankingFeatures.EducationGap] = EducationShortfallWeight * Math.Min(0, f[RankingFeatures.EducationGap]);
        t[RankingFeatures.TrainingRecency] = TrainingRecencyWeight * f[RankingFeatures.TrainingRecency];
        for (var i = 0; i < t.Length; i++)
        {
            // An unknown input (NaN, e.g. no location) is neutral, not a reason to sink or rise.
            if (float.IsNaN(t[i]))
            {
                t[i] = 0;
            }
        }

        return t;
    }
}
