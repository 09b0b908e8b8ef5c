namespace JobMatch.Ranking;

internal sealed record SimulationOptions
{
    public int Seekers { get; init; } = 4000;
    public int Vacancies { get; init; } = 600;
    public int Candidates { get; init; } = 40;
    public int Seed { get; init; } = 1;

    /// <summary>
    /// How many vacancies (the first ones) get simulated candidates and outcomes; null: all. A national-scale world
    /// (1,000,000 seekers) needs its seekers and vacancies, not 20,000 vacancies' worth of history, and drawing each
    /// vacancy's candidates walks every seeker holding one of its skills.
    /// </summary>
    public int? OutcomeVacancies { get; init; }
}

/// <summary>
/// Generates a synthetic world from the real taxonomy (src/JobMatch/Ranking/README.md). Seekers, vacancies and
/// candidate lists look like the district's: pools differ by gender (sectors, travel range) as they do
/// in life, but gender never enters the hidden utility. Outcomes come from a hidden utility (see
/// <see cref="SimulatedUtility"/>) plus noise, through an employer who invites and hires the best few
/// and seekers who sometimes decline.
/// </summary>
internal sealed partial class WorldSimulator(SeedTaxonomy taxonomy, SimulationOptions options)
{
    private const int ReferenceYear = 2026;
    private static readonly string[] WomenLeaningSectors = ["garment", "tailor", "sew", "beauty", "hair", "handicraft", "craft", "food", "cook", "care", "domestic"];
    private static readonly string[] MenLeaningSectors = ["electric", "electronic", "repair", "mechanic", "vehicle", "weld", "construct", "driv", "fish", "boat", "metal"];

    private readonly Random _random = new(options.Seed);
    private Dictionary<string, double>? _popularity;

    public World Generate()
    {
        // Within each sector a few skills are common (basic sewing, cooking) and most are rarer, for
        // seekers and vacancies alike: a Zipf-like weight over a seeded shuffle of each sector's skills.
        _popularity = taxonomy.Skills
            .GroupBy(s => s.Sector)
            .SelectMany(g => g.OrderBy(_ => _random.Next()).Select((s, rank) => (s.Code, Weight: 1.0 / (1 + rank))))
            .ToDictionary(x => x.Code, x => x.Weight, StringComparer.Ordinal);
        var seekers = Enumerable.Range(1, options.Seekers).Select(i => NewSeeker($"P{i:D6}")).ToList();
        var vacancies = Enumerable.Range(1, options.Vacancies).Select(i => NewVacancy($"V{i:D5}")).ToList();
        var sectorOf = taxonomy.Skills.ToDictionary(s => s.Code, s => s.Sector, StringComparer.Ordinal);
        var bySkill = Index(seekers, s => s.Profile.Skills.Select(k => k.Code));
        var bySector = Index(seekers, s => s.Profile.Skills.Select(k => sectorOf.GetValueOrDefault(k.Code, "")));
        // Something employers see and the features do not (manner, references): the same for a seeker everywhere.
        var latent = seekers.ToDictionary(s => s.SeekerRef, _ => Gaussian(0, 0.3), StringComparer.Ordinal);
        var outcomes = new List<WorldOutcome>();
        foreach (var vacancy in vacancies.Take(options.OutcomeVacancies ?? vacancies.Count))
        {
            var candidates = PickCandidates(vacancy, seekers, bySkill, bySector);
            outcomes.AddRange(Decide(vacancy, candidates, latent));
        }

        var skills = taxonomy.Skills.Select(s => new WorldSkill(s.Code, s.NameEn, s.NameBn, s.Sector)).ToList();
        return new World(skills, seekers, vacancies, outcomes);
    }

    private WorldSeeker NewSeeker(string id)
    {
        var gender = Pick(("F", 0.56), ("M", 0.43), ("X", 0.01));
        var upazila = taxonomy.Upazilas[_random.Next(taxonomy.Upazilas.Count)];
        var home = Pick(taxonomy.Sectors.Select(s => (s, SectorAffinity(s, gender))).ToArray());
        var homeSkills = taxonomy.Skills.Where(s => s.Sector == home.Code).ToList();
        var skills = new List<SkillHolding>();
        var count = Pick((1, 0.25), (2, 0.3), (3, 0.25), (4, 0.12), (5, 0.08));
        for (var i = 0; i < count * 2 && skills.Count < count; i++)
        {
            var code = PickSkill(homeSkills.Count > 0 && _random.NextDouble() < 0.8 ? homeSkills : taxonomy.Skills);
            if (skills.All(s => s.Code != code))
            {
                var level = Pick((1, 0.3), (2, 0.35), (3, 0.25), (4, 0.1));
                var months = _random.NextDouble() < 0.2 ? 0 : Math.Round(-Math.Log(1 - _random.NextDouble()) * (6 + 10 * level));
                skills.Add(new SkillHolding(code, level, _random.NextDouble() < 0.15 + 0.12 * level, months));
            }
        }

        var education = Pick((0, 0.18), (1, 0.27), (2, 0.25), (3, 0.15), (4, 0.1), (5, 0.05));
        var wage = Math.Max(5000, Math.Round((7000 + 1500 * education + 1500 * skills.Average(s => s.Level) + Gaussian(0, 1500)) / 100) * 100);
        var preferred = Pick((0, 0.4), (1, 0.4), (2, 0.2)) switch
        {
            0 => Array.Empty<string>(),
            1 => [home.Code],
            _ => new[] { home.Code, taxonomy.Sectors[_random.Next(taxonomy.Sectors.Count)].Code }.Distinct().ToArray(),
        };
        // Women in the district often cannot travel as far (family duties, safety): part of a real pool.
        var travel = Math.Clamp(Math.Exp(Gaussian(Math.Log(12), 0.6)) * (gender == "F" ? 0.75 : 1.0), 2, 60);
        var profile = new SeekerRankingProfile(
            upazila.Lat + Gaussian(0, 0.04), upazila.Lon + Gaussian(0, 0.04), education, wage,
            Pick((WorkKind.Wage, 0.6), (WorkKind.Self, 0.15), (WorkKind.Any, 0.25)), preferred,
            Math.Round(travel, 1), skills);
        return new WorldSeeker(id, upazila.Code, gender, ReferenceYear - _random.Next(18, 51), profile);
    }

    private WorldVacancy NewVacancy(string id)
    {
        var sector = taxonomy.Sectors[_random.Next(taxonomy.Sectors.Count)];
        var sectorSkills = taxonomy.Skills.Where(s => s.Sector == sector.Code).ToList();
        if (sectorSkills.Count == 0)
        {
            sectorSkills = [.. taxonomy.Skills];
        }

        var asks = new List<SkillRequirement>();
        var required = Math.Min(sectorSkills.Count, Pick((1, 0.4), (2, 0.4), (3, 0.2)));
        while (asks.Count < required)
        {
            var code = PickSkill(sectorSkills);
            if (asks.All(a => a.Code != code))
            {
                asks.Add(new SkillRequirement(code, Pick((1, 0.4), (2, 0.4), (3, 0.2)), Required: true));
            }
        }

        var nice = Pick((0, 0.4), (1, 0.4), (2, 0.2));
        for (var i = 0; i < nice; i++)
        {
            var code = PickSkill(_random.NextDouble() < 0.7 ? sectorSkills : taxonomy.Skills);
            if (asks.All(a => a.Code != code))
            {
                asks.Add(new SkillRequirement(code, Pick((1, 0.6), (2, 0.4)), Required: false));
            }
        }

        var education = Pick((0, 0.45), (1, 0.2), (2, 0.15), (3, 0.15), (4, 0.05));
        var wageBase = Math.Round((8000 + 1500 * education + 1000 * asks.Max(a => a.MinLevel) + Gaussian(0, 1500)) / 100) * 100;
        wageBase = Math.Max(5000, wageBase);
        var band = _random.NextDouble();
        double? wageMin = band < 0.08 ? null : wageBase;
        double? wageMax = band < 0.13 ? null : Math.Round(wageBase * (1.1 + 0.4 * _random.NextDouble()) / 100) * 100;
        var upazila = taxonomy.Upazilas[_random.Next(taxonomy.Upazilas.Count)];
        var profile = new VacancyProfile(
            sector.Code, upazila.Lat + Gaussian(0, 0.03), upazila.Lon + Gaussian(0, 0.03), wageMin, wageMax,
            _random.NextDouble() < 0.85 ? WorkKind.Wage : WorkKind.Self, education, asks);
        var title = taxonomy.Skills.First(s => s.Code == asks[0].Code).NameEn;
        var openings = Pick((1, 0.6), (2, 0.25), (3, 0.1), (4, 0.03), (5, 0.02));
        return new WorldVacancy(id, $"E{_random.Next(1, options.Vacancies / 4 + 2):D4}", title, upazila.Code, openings, profile);
    }

    private static double SectorAffinity(TaxonomySector sector, string gender)
    {
        var name = sector.NameEn.ToLowerInvariant();
        var womenLeaning = WomenLeaningSectors.Any(name.Contains);
        var menLeaning = MenLeaningSectors.Any(name.Contains);
        return (gender, womenLeaning, menLeaning) switch
        {
            ("F", true, _) or ("M", _, true) => 3.0,
            ("F", _, true) or ("M", true, _) => 0.4,
            _ => 1.0,
        };
    }

    private string PickSkill(IReadOnlyList<TaxonomySkill> pool) =>
        Pick(pool.Select(s => (s.Code, _popularity![s.Code])).ToArray());

    private T Pick<T>(params (T Value, double Weight)[] choices)
    {
        var roll = _random.NextDouble() * choices.Sum(c => c.Weight);
        foreach (var (value, weight) in choices)
        {
            roll -= weight;
            if (roll < 0)
            {
                return value;
            }
        }

        return choices[^1].Value;
    }

    private double Gaussian(double mean, double sd) =>
        mean + sd * Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());
}
