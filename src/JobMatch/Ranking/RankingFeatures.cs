namespace JobMatch.Ranking;

/// <summary>
/// The one feature function, shared by training and serving so they cannot drift apart. The vector's
/// slots are exactly <see cref="Names"/>, an explicit allow-list; nothing about gender, age, religion,
/// ethnicity, disability, survivor status or the referring agency can enter, because
/// <see cref="SeekerRankingProfile"/> does not carry it. Unknown inputs give a documented neutral value
/// (or NaN for an unknown distance, which LightGBM treats as missing and the rule ranker as neutral).
/// </summary>
internal static class RankingFeatures
{
    public const int RequiredCoverage = 0;     // mean credit over required skills: 1 met, level/min below, 0 missing; 1 if none required
    public const int RequiredMetShare = 1;     // share of required skills held at or above min level; 1 if none required
    public const int RequiredMissing = 2;      // required skills the seeker does not hold at all
    public const int NiceCoverage = 3;         // as RequiredCoverage over nice-to-have skills; 0 if none listed
    public const int LevelSurplus = 4;         // mean max(0, level - min) over the vacancy's skills the seeker holds
    public const int LevelDeficit = 5;         // mean max(0, min - level) over the same skills
    public const int CertifiedShare = 6;       // certified share of the vacancy's skills the seeker holds; 0 if none held
    public const int RelevantExperience = 7;   // log(1 + months) over the vacancy's skills the seeker holds
    public const int SectorExperience = 8;     // log(1 + months) over the seeker's skills in the vacancy's sector
    public const int SectorSkillCount = 9;     // the seeker's skills in the vacancy's sector
    public const int DistanceKm = 10;          // great-circle km; NaN if a location is unknown
    public const int TravelRatio = 11;         // distance / max travel km (floor 1 km); NaN if unknown
    public const int BeyondTravelKm = 12;      // km beyond the seeker's max travel; 0 within it, NaN if unknown
    public const int WageFit = 13;             // (offered - expected) / expected in [-1, 1]; 0 if either is unknown
    public const int WantsMatch = 14;          // 1 if the kind of work (wage/self) is what the seeker wants, else 0
    public const int SectorPreferred = 15;     // 1 preferred sector, 0 not preferred, 0.5 no preference stated
    public const int EducationGap = 16;        // seeker's education level - vacancy's minimum
    public const int RequiredSkillCount = 17;  // the vacancy's required skills
    public const int SeekerSkillCount = 18;    // the seeker's recorded skills
    public const int TrainingRecency = 19;     // 1 / (1 + months since training / 12); 0.5 when unknown

    /// <summary>The allow-list: slot i of every feature vector is <c>Names[i]</c>.</summary>
    public static readonly string[] Names =
    [
        "required_coverage",
        "required_met_share",
        "required_missing",
        "nice_coverage",
        "level_surplus",
        "level_deficit",
        "certified_share",
        "relevant_experience",
        "sector_experience",
        "sector_skill_count",
        "distance_km",
        "travel_ratio",
        "beyond_travel_km",
        "wage_fit",
        "wants_match",
        "sector_preferred",
        "education_gap",
        "required_skill_count",
        "seeker_skill_count",
        "training_recency",
    ];

    public static int Count => Names.Length;

    public static float[] Compute(SeekerRankingProfile seeker, VacancyProfile vacancy, FeatureContext context)
    {
        var f = new float[Count];
        var held = new Dictionary<string, SkillHolding>(StringComparer.Ordinal);
        foreach (var skill in seeker.Skills)
        {
            // A skill listed twice counts once, at its best level.
            if (!held.TryGetValue(skill.Code, out var existing) || skill.Level > existing.Level)
            {
                held[skill.Code] = skill;
            }
        }

        SkillFit(held, vacancy, f);
        SectorFit(seeker, vacancy, context, f);
        DistanceFit(seeker, vacancy, f);
        f[WageFit] = (float)WageGap(seeker.ExpectedWageBdt, vacancy.WageMinBdt, vacancy.WageMaxBdt);
        f[WantsMatch] = seeker.Wants == WorkKind.Any || seeker.Wants == vacancy.EmploymentType ? 1f : 0f;
        f[EducationGap] = seeker.EducationLevel - vacancy.MinEducationLevel;
        f[SeekerSkillCount] = held.Count;
        f[TrainingRecency] = seeker.MonthsSinceTraining is { } months
            ? (float)(1.0 / (1.0 + Math.Max(0, months) / 12.0))
            : 0.5f;
        return f;
    }

    /// <summary>Credit for one asked-for skill: full at or above the minimum level, partial below it.</summary>
    public static double Credit(int level, int minLevel) =>
        level >= minLevel ? 1.0 : Math.Max(0, level) / (double)Math.Max(1, minLevel);

    /// <summary>
    /// How the offered wage compares with what the seeker expects, as a fraction of the expectation,
    /// clipped to [-1, 1]. The top of the range is what a good candidate can hope for; with only a minimum
    /// we use it. Unknown expectation or range → 0 (neutral).
    /// </summary>
    public static double WageGap(double? expected, double? wageMin, double? wageMax)
    {
        var offered = wageMax ?? wageMin;
        if (expected is not > 0 || offered is not > 0)
        {
            return 0;
        }

        return Math.Clamp((offered.Value - expected.Value) / expected.Value, -1, 1);
    }

    public static double HaversineKm(double lat1, double lon1, double lat2, double lon2)
    {
        const double earthRadiusKm = 6371.0;
        static double Rad(double degrees) => degrees * Math.PI / 180.0;
        var dLat = Rad(lat2 - lat1);
        var dLon = Rad(lon2 - lon1);
        var a = Math.Pow(Math.Sin(dLat / 2), 2)
                + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Pow(Math.Sin(dLon / 2), 2);
        return 2 * earthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    private static void SkillFit(Dictionary<string, SkillHolding> held, VacancyProfile vacancy, float[] f)
    {
        int required = 0, requiredMet = 0, requiredMissing = 0, nice = 0, heldAsked = 0, certified = 0;
        double requiredCredit = 0, niceCredit = 0, surplus = 0, deficit = 0, months = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ask in vacancy.Skills)
        {
            if (!seen.Add(ask.Code))
            {
                continue;
            }

            held.TryGetValue(ask.Code, out var skill);
            var credit = skill is null ? 0 : Credit(skill.Level, ask.MinLevel);
            if (ask.Required)
            {
                required++;
                requiredCredit += credit;
                requiredMet += skill is not null && skill.Level >= ask.MinLevel ? 1 : 0;
                requiredMissing += skill is null ? 1 : 0;
            }
            else
            {
                nice++;
                niceCredit += credit;
            }

            if (skill is not null)
            {
                heldAsked++;
                certified += skill.Certified ? 1 : 0;
                surplus += Math.Max(0, skill.Level - ask.MinLevel);
                deficit += Math.Max(0, ask.MinLevel - skill.Level);
                months += Math.Max(0, skill.MonthsExperience);
            }
        }

        f[RequiredCoverage] = required == 0 ? 1f : (float)(requiredCredit / required);
        f[RequiredMetShare] = required == 0 ? 1f : (float)requiredMet / required;
        f[RequiredMissing] = requiredMissing;
        f[NiceCoverage] = nice == 0 ? 0f : (float)(niceCredit / nice);
        f[LevelSurplus] = heldAsked == 0 ? 0f : (float)(surplus / heldAsked);
        f[LevelDeficit] = heldAsked == 0 ? 0f : (float)(deficit / heldAsked);
        f[CertifiedShare] = heldAsked == 0 ? 0f : (float)certified / heldAsked;
        f[RelevantExperience] = (float)Math.Log(1 + months);
        f[RequiredSkillCount] = required;
    }

    private static void SectorFit(SeekerRankingProfile seeker, VacancyProfile vacancy, FeatureContext context, float[] f)
    {
        var count = 0;
        double months = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var skill in seeker.Skills)
        {
            if (seen.Add(skill.Code)
                && context.SkillSectors.TryGetValue(skill.Code, out var sector)
                && string.Equals(sector, vacancy.Sector, StringComparison.OrdinalIgnoreCase))
            {
                count++;
                months += Math.Max(0, skill.MonthsExperience);
            }
        }

        f[SectorSkillCount] = count;
        f[SectorExperience] = (float)Math.Log(1 + months);
        f[SectorPreferred] = seeker.PreferredSectors.Count == 0
            ? 0.5f
            : seeker.PreferredSectors.Contains(vacancy.Sector, StringComparer.OrdinalIgnoreCase) ? 1f : 0f;
    }

    private static void DistanceFit(SeekerRankingProfile seeker, VacancyProfile vacancy, float[] f)
    {
        if (seeker is not { Lat: { } sLat, Lon: { } sLon } || vacancy is not { Lat: { } vLat, Lon: { } vLon })
        {
            f[DistanceKm] = f[TravelRatio] = f[BeyondTravelKm] = float.NaN;
            return;
        }

        var km = HaversineKm(sLat, sLon, vLat, vLon);
        f[DistanceKm] = (float)km;
        if (seeker.MaxTravelKm is { } max)
        {
            f[TravelRatio] = (float)(km / Math.Max(1.0, max));
            f[BeyondTravelKm] = (float)Math.Max(0, km - max);
        }
        else
        {
            f[TravelRatio] = f[BeyondTravelKm] = float.NaN;
        }
    }
}
