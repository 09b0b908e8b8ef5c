using JobMatch.Ranking;

namespace JobMatch.Tests.Ranking;

public sealed class RankingFeaturesTests
{
    /// <summary>
    /// Never features (ARCHITECTURE.md). Short words must be whole words ("age" is inside "coverage");
    /// distinctive stems may appear anywhere in a name.
    /// </summary>
    public static bool IsForbidden(string name)
    {
        string[] words = ["age", "sex", "gender", "caste", "dob"];
        string[] stems = ["gender", "birth", "religio", "ethnic", "disab", "survivor", "traffick", "agency", "referring", "referral", "tribe"];
        var tokens = System.Text.RegularExpressions.Regex
            .Replace(name, "([a-z0-9])([A-Z])", "$1_$2")
            .ToLowerInvariant()
            .Split('_', '@', '.', ' ');
        return tokens.Any(words.Contains) || stems.Any(s => name.Contains(s, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Names_AreUniqueSnakeCase_AndMatchTheSlotConstants()
    {
        Assert.Equal(RankingFeatures.Names.Length, RankingFeatures.Names.Distinct().Count());
        Assert.All(RankingFeatures.Names, n => Assert.Matches("^[a-z][a-z0-9_]*$", n));
        Assert.Equal("required_coverage", RankingFeatures.Names[RankingFeatures.RequiredCoverage]);
        Assert.Equal("distance_km", RankingFeatures.Names[RankingFeatures.DistanceKm]);
        Assert.Equal("wage_fit", RankingFeatures.Names[RankingFeatures.WageFit]);
        Assert.Equal("training_recency", RankingFeatures.Names[RankingFeatures.TrainingRecency]);
        Assert.Equal(RankingFeatures.Count, RankingFeatures.Compute(Seeker(), Vacancy(), FeatureContext.Empty).Length);
    }

    [Fact]
    public void Names_ContainNoForbiddenAttribute()
    {
        Assert.DoesNotContain(RankingFeatures.Names, IsForbidden);
        Assert.True(IsForbidden("seeker_age_band"));
        Assert.True(IsForbidden("BirthYear"));
        Assert.True(IsForbidden("ReferringAgency"));
    }

    [Fact]
    public void SeekerProfile_HasNoForbiddenAttribute()
    {
        var properties = typeof(SeekerRankingProfile).GetProperties().Select(p => p.Name);

        Assert.DoesNotContain(properties, IsForbidden);
    }

    [Fact]
    public void Compute_GivesFullAndPartialCredit_ByLevel()
    {
        var seeker = Seeker(skills: [new("A", 3, true, 24), new("B", 1, false, 0)]);
        var vacancy = Vacancy(skills: [new("A", 2, true), new("B", 2, true), new("C", 1, true), new("N", 1, false)]);

        var f = RankingFeatures.Compute(seeker, vacancy, FeatureContext.Empty);

        Assert.Equal((1 + 0.5 + 0) / 3, f[RankingFeatures.RequiredCoverage], 5);
        Assert.Equal(1f / 3, f[RankingFeatures.RequiredMetShare], 5);
        Assert.Equal(1, f[RankingFeatures.RequiredMissing]);
        Assert.Equal(0, f[RankingFeatures.NiceCoverage]);
        Assert.Equal(0.5, f[RankingFeatures.LevelSurplus], 5);
        Assert.Equal(0.5, f[RankingFeatures.LevelDeficit], 5);
        Assert.Equal(0.5, f[RankingFeatures.CertifiedShare], 5);
        Assert.Equal(Math.Log(25), f[RankingFeatures.RelevantExperience], 4);
        Assert.Equal(3, f[RankingFeatures.RequiredSkillCount]);
        Assert.Equal(2, f[RankingFeatures.SeekerSkillCount]);
    }

    [Fact]
    public void Compute_CountsFullCoverage_WhenNoSkillIsRequired()
    {
        var f = RankingFeatures.Compute(Seeker(), Vacancy(skills: [new("N", 2, false)]), FeatureContext.Empty);

        Assert.Equal(1, f[RankingFeatures.RequiredCoverage]);
        Assert.Equal(1, f[RankingFeatures.RequiredMetShare]);
        Assert.Equal(0, f[RankingFeatures.NiceCoverage]);
    }

    [Fact]
    public void Compute_UsesTheBestLevel_WhenASkillIsListedTwice()
    {
        var seeker = Seeker(skills: [new("A", 1, false, 0), new("A", 3, false, 0)]);

        var f = RankingFeatures.Compute(seeker, Vacancy(skills: [new("A", 2, true)]), FeatureContext.Empty);

        Assert.Equal(1, f[RankingFeatures.RequiredCoverage]);
        Assert.Equal(1, f[RankingFeatures.SeekerSkillCount]);
    }

    [Fact]
    public void Compute_CountsSkillsInTheVacancySector_FromTheContext()
    {
        var context = new FeatureContext(new Dictionary<string, string> { ["A"] = "food", ["B"] = "food", ["C"] = "metal" });
        var seeker = Seeker(skills: [new("A", 1, false, 11), new("B", 2, false, 0), new("C", 4, true, 50), new("Q", 1, false, 9)]);

        var f = RankingFeatures.Compute(seeker, Vacancy(sector: "food"), context);

        Assert.Equal(2, f[RankingFeatures.SectorSkillCount]);
        Assert.Equal(Math.Log(12), f[RankingFeatures.SectorExperience], 4);
    }

    [Fact]
    public void Compute_MeasuresDistanceAgainstTravelRange()
    {
        // Cox's Bazar town to Teknaf: about 70 km as the crow flies.
        var seeker = Seeker(lat: 21.4272, lon: 92.0058, maxTravel: 50);
        var vacancy = Vacancy(lat: 20.8624, lon: 92.3058);

        var f = RankingFeatures.Compute(seeker, vacancy, FeatureContext.Empty);

        Assert.InRange(f[RankingFeatures.DistanceKm], 68, 72);
        Assert.Equal(f[RankingFeatures.DistanceKm] / 50, f[RankingFeatures.TravelRatio], 4);
        Assert.Equal(f[RankingFeatures.DistanceKm] - 50, f[RankingFeatures.BeyondTravelKm], 3);
    }

    [Fact]
    public void Compute_GivesZeroDistance_ForTheSamePlace_AndNaN_WhenUnknown()
    {
        var same = RankingFeatures.Compute(Seeker(lat: 21.4, lon: 92.0), Vacancy(lat: 21.4, lon: 92.0), FeatureContext.Empty);
        var unknown = RankingFeatures.Compute(Seeker(lat: null), Vacancy(), FeatureContext.Empty);
        var noRange = RankingFeatures.Compute(Seeker(maxTravel: null), Vacancy(), FeatureContext.Empty);

        Assert.Equal(0, same[RankingFeatures.DistanceKm], 6);
        Assert.Equal(0, same[RankingFeatures.BeyondTravelKm]);
        Assert.True(float.IsNaN(unknown[RankingFeatures.DistanceKm]));
        Assert.True(float.IsNaN(unknown[RankingFeatures.TravelRatio]));
        Assert.False(float.IsNaN(noRange[RankingFeatures.DistanceKm]));
        Assert.True(float.IsNaN(noRange[RankingFeatures.TravelRatio]));
    }

    [Theory]
    [InlineData(10000.0, 9000.0, 12000.0, 0.2)]    // the top of the range is 20% above the expectation
    [InlineData(10000.0, 6000.0, 8000.0, -0.2)]    // 20% below
    [InlineData(10000.0, 8000.0, null, -0.2)]      // only a minimum: use it
    [InlineData(10000.0, null, null, 0.0)]         // no range: neutral
    [InlineData(null, 8000.0, 9000.0, 0.0)]        // no expectation: neutral
    [InlineData(1000.0, 50000.0, 60000.0, 1.0)]    // clipped
    [InlineData(50000.0, 1000.0, 2000.0, -0.96)]
    public void WageGap_ComparesOfferWithExpectation(double? expected, double? min, double? max, double gap)
    {
        Assert.Equal(gap, RankingFeatures.WageGap(expected, min, max), 6);
    }

    [Theory]
    [InlineData(WorkKind.Any, WorkKind.Self, 1)]
    [InlineData(WorkKind.Wage, WorkKind.Wage, 1)]
    [InlineData(WorkKind.Wage, WorkKind.Self, 0)]
    [InlineData(WorkKind.Self, WorkKind.Wage, 0)]
    internal void Compute_MatchesTheKindOfWork(WorkKind wants, WorkKind offered, float expected)
    {
        var f = RankingFeatures.Compute(Seeker(wants: wants), Vacancy(type: offered), FeatureContext.Empty);

        Assert.Equal(expected, f[RankingFeatures.WantsMatch]);
    }

    [Fact]
    public void Compute_ScoresSectorPreference_AndEducationGap()
    {
        var preferring = RankingFeatures.Compute(Seeker(preferred: ["food"], education: 1), Vacancy(sector: "food", minEducation: 3), FeatureContext.Empty);
        var other = RankingFeatures.Compute(Seeker(preferred: ["metal"]), Vacancy(sector: "food"), FeatureContext.Empty);
        var none = RankingFeatures.Compute(Seeker(preferred: []), Vacancy(sector: "food"), FeatureContext.Empty);

        Assert.Equal(1, preferring[RankingFeatures.SectorPreferred]);
        Assert.Equal(0, other[RankingFeatures.SectorPreferred]);
        Assert.Equal(0.5f, none[RankingFeatures.SectorPreferred]);
        Assert.Equal(-2, preferring[RankingFeatures.EducationGap]);
    }

    [Fact]
    public void Compute_GivesNeutralTrainingRecency_WhenUnknown()
    {
        var unknown = RankingFeatures.Compute(Seeker(), Vacancy(), FeatureContext.Empty);
        var fresh = RankingFeatures.Compute(Seeker() with { MonthsSinceTraining = 0 }, Vacancy(), FeatureContext.Empty);
        var old = RankingFeatures.Compute(Seeker() with { MonthsSinceTraining = 36 }, Vacancy(), FeatureContext.Empty);

        Assert.Equal(0.5f, unknown[RankingFeatures.TrainingRecency]);
        Assert.Equal(1f, fresh[RankingFeatures.TrainingRecency]);
        Assert.Equal(0.25f, old[RankingFeatures.TrainingRecency], 5);
    }

    private static SeekerRankingProfile Seeker(
        SkillHolding[]? skills = null, double? lat = 21.4, double? lon = 92.0, double? maxTravel = 10,
        WorkKind wants = WorkKind.Any, string[]? preferred = null, int education = 2) =>
        new(lat, lon, education, 10000, wants, preferred ?? [], maxTravel, skills ?? []);

    private static VacancyProfile Vacancy(
        SkillRequirement[]? skills = null, string sector = "garments", double? lat = 21.45, double? lon = 92.02,
        WorkKind type = WorkKind.Wage, int minEducation = 0) =>
        new(sector, lat, lon, 9000, 12000, type, minEducation, skills ?? []);
}
