using JobMatch.Ranking;

namespace JobMatch.Tests.Ranking;

/// <summary>Worlds for tests: simulated from the project's taxonomy, and the committed tiny world.</summary>
internal static class TestWorlds
{
    /// <summary>The seed data (data/skills.csv, sectors.csv, upazilas.csv), copied next to the app by the build.</summary>
    public static string TaxonomyDirectory => Path.Combine(AppContext.BaseDirectory, "data");

    /// <summary>data/worlds/tiny, copied next to the app by the build.</summary>
    public static string TinyWorldDirectory => Path.Combine(AppContext.BaseDirectory, "data", "worlds", "tiny");

    public static World Simulated(int seekers, int vacancies, int candidates, int seed) =>
        new WorldSimulator(
                SeedTaxonomy.Load(TaxonomyDirectory),
                new SimulationOptions { Seekers = seekers, Vacancies = vacancies, Candidates = candidates, Seed = seed })
            .Generate();
}
