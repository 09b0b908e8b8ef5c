using JobMatch.Ranking;

namespace JobMatch.Benchmarks;

/// <summary>
/// The synthetic world every workload shares, from the product's own simulator (<see cref="WorldSimulator"/>) over the
/// real taxonomy in data/, with fixed seeds. Seeker profiles are then made exactly what the database will know
/// (district centroid, whole kilometres, a fixed certificate date), so brute force in memory and retrieval from
/// PostgreSQL see the same facts. The hidden utility is <see cref="SimulatedUtility.Of"/>.
/// </summary>
internal sealed class BenchWorld
{
    public const int Seed = 42;
    public static readonly DateOnly CertifiedOn = new(2025, 6, 1);

    private BenchWorld(SeedTaxonomy taxonomy, World world, int trainees)
    {
        Taxonomy = taxonomy;
        World = world;
        Trainees = trainees;
        Context = FeatureContext.FromSkills(world.Skills);
    }

    public SeedTaxonomy Taxonomy { get; }
    public World World { get; }
    public FeatureContext Context { get; }

    /// <summary>Extra seekers (no consent to be matched) whose skill records B1 imports.</summary>
    public int Trainees { get; }

    public IReadOnlyList<WorldSeeker> Seekers => World.Seekers;
    public IReadOnlyList<WorldVacancy> Vacancies => World.Vacancies;

    public static BenchWorld Generate(int seekers, int vacancies, int candidatesPerVacancy, int trainees, int? outcomeVacancies = null)
    {
        var taxonomy = SeedTaxonomy.Load(SeedTaxonomy.FindDataDirectory());
        var raw = new WorldSimulator(taxonomy, new SimulationOptions
        {
            Seekers = seekers, Vacancies = vacancies, Candidates = candidatesPerVacancy, Seed = Seed, OutcomeVacancies = outcomeVacancies,
        }).Generate();
        var centroids = taxonomy.Upazilas.ToDictionary(u => u.Code, StringComparer.Ordinal);
        var monthsSince = (DateTime.UtcNow - CertifiedOn.ToDateTime(TimeOnly.MinValue)).TotalDays / 30.4;
        var normalised = raw.Seekers.Select(s =>
        {
            var u = centroids[s.Upazila];
            var skills = s.Profile.Skills.Select(k => k with { MonthsExperience = Math.Min(720, Math.Round(k.MonthsExperience)) }).ToList();
            var profile = s.Profile with
            {
                Lat = u.Lat, Lon = u.Lon,
                ExpectedWageBdt = s.Profile.ExpectedWageBdt is { } w ? Math.Round(w) : null,
                MaxTravelKm = s.Profile.MaxTravelKm is { } km ? Math.Round(km) : null,
                Skills = skills,
                MonthsSinceTraining = skills.Any(k => k.Certified) ? monthsSince : null,
            };
            return s with { Profile = profile };
        }).ToList();
        return new BenchWorld(taxonomy, raw with { Seekers = normalised }, trainees);
    }

    /// <summary>
    /// The product's hard filters that the world can break (every must-have skill held, education, travel); the rest
    /// never apply here. Must-have skills became hard in the product with issue 13; until this filter had them too, the
    /// ceiling ranked seekers the product may not propose, and B2's recall and NDCG against it fell (0.68 and 0.93 × ceiling
    /// on main, 2026-12-02) although the product's pools had not changed.
    /// </summary>
    public static bool Eligible(SeekerRankingProfile s, VacancyProfile v)
    {
        if (!Matching.MatchProposer.HoldsEveryRequired(s, v)) return false;
        if (s.EducationLevel < v.MinEducationLevel) return false;
        if (s.MaxTravelKm is not { } max || s.Lat is not { } a || s.Lon is not { } b || v.Lat is not { } c || v.Lon is not { } d) return true;
        return RankingFeatures.HaversineKm(a, b, c, d) <= max;
    }
}
