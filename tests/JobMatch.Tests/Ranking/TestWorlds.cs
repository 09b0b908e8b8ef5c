using JobMatch.Ranking;

namespace JobMatch.Tests.Ranking;

/// <summary>Worlds for tests: from the committed fixture taxonomy, and the committed tiny world.</summary>
internal static class TestWorlds
{
    /// <summary>A stand-in taxonomy until the seed data lands in data/ (same columns as data/*.csv).</summary>
    public static string TaxonomyDirectory => Path.Combine(AppContext.BaseDirectory, "Ranking", "Fixtures", "taxonomy");

    /// <summary>data/worlds/tiny, copied next to the app by the build.</summary>
    public static string TinyWorldDirectory => Path.Combine(AppContext.BaseDirectory, "data", "worlds", "tiny");

    public static World Simulated(int seekers, int vacancies, int candidates, int seed) =>
        new WorldSimulator(
                Taxonomy.Load(TaxonomyDirectory),
                new SimulationOptions { Seekers = seekers, Vacancies = vacancies, Candidates = candidates, Seed = seed })
            .Generate();
}
