namespace JobMatch.Ranking;

/// <summary>
/// What the ranking may know about a job seeker. Deliberately has no gender, age, religion, ethnicity,
/// disability, survivor status or referring agency: what is not here cannot become a feature.
/// </summary>
/// <param name="MonthsSinceTraining">Months since the seeker's last recorded training; null when unknown
/// (world files do not carry it, the database does).</param>
internal sealed record SeekerRankingProfile(
    double? Lat,
    double? Lon,
    int EducationLevel,
    double? ExpectedWageBdt,
    WorkKind Wants,
    IReadOnlyList<string> PreferredSectors,
    double? MaxTravelKm,
    IReadOnlyList<SkillHolding> Skills,
    double? MonthsSinceTraining = null);

internal sealed record SkillHolding(string Code, int Level, bool Certified, double MonthsExperience);

internal sealed record VacancyProfile(
    string Sector,
    double? Lat,
    double? Lon,
    double? WageMinBdt,
    double? WageMaxBdt,
    WorkKind EmploymentType,
    int MinEducationLevel,
    IReadOnlyList<SkillRequirement> Skills);

internal sealed record SkillRequirement(string Code, int MinLevel, bool Required);

/// <summary>The kind of work: a seeker wants wage or self employment (or either); a vacancy offers one.</summary>
internal enum WorkKind
{
    Any,
    Wage,
    Self,
}

/// <summary>Facts about the taxonomy that features need: which sector each skill code belongs to.</summary>
internal sealed record FeatureContext(IReadOnlyDictionary<string, string> SkillSectors)
{
    public static FeatureContext Empty { get; } = new(new Dictionary<string, string>());

    public static FeatureContext FromSkills(IEnumerable<WorldSkill> skills)
    {
        var sectors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var skill in skills)
        {
            sectors[skill.Code] = skill.Sector;
        }

        return new FeatureContext(sectors);
    }
}
