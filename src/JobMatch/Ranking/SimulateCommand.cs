using System.Diagnostics;

namespace JobMatch.Ranking;

/// <summary>
/// <c>simulate --out DIR [--seekers N] [--vacancies M] [--candidates K] [--seed S] [--data DIR] [--shown N
/// [--randomized-share P]]</c>: writes a synthetic world from the taxonomy in <c>--data</c> (default: the app's seed
/// data folder). With <c>--shown</c> the world is a logged one (<see cref="WorldLogger"/>): outcomes only for the
/// shown top N with their positions, the whole pool in candidates.csv, and the hidden relevance of the whole pool in
/// relevance.csv (which evaluate never reads; it is there to score <c>--rankings</c> against).
/// </summary>
internal static class SimulateCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter stderr)
    {
        try
        {
            var options = new CommandArgs(args, "out", "seekers", "vacancies", "candidates", "seed", "data", "shown", "randomized-share");
            var output = options.OutputPath("out") ?? throw new UsageException("Option --out is required.");
            var simulation = new SimulationOptions
            {
                Seekers = options.Int("seekers", 4000, min: 1),
                Vacancies = options.Int("vacancies", 600, min: 1),
                Candidates = options.Int("candidates", 40, min: 1),
                Seed = options.Int("seed", 1),
            };
            var data = options.Text("data") is not null ? options.RequiredInputPath("data") : Taxonomy.FindDataDirectory();
            var clock = Stopwatch.StartNew();
            var world = new WorldSimulator(Taxonomy.Load(data), simulation).Generate();
            if (options.Text("shown") is not null)
            {
                var logging = new LoggingOptions
                {
                    Shown = options.Int("shown", 10, min: 1),
                    RandomizedShare = options.Share("randomized-share", 0.1),
                    Seed = simulation.Seed,
                };
                WorldLogger.WriteRelevance(world, Directory.CreateDirectory(output).FullName);
                world = WorldLogger.Log(world, logging);
            }

            WorldWriter.Write(world, output);
            await stderr.WriteLineAsync(
                $"Wrote {world.Seekers.Count} seekers, {world.Vacancies.Count} vacancies, {world.Outcomes.Count} outcomes to {output} from the taxonomy in {data} ({clock.Elapsed.TotalSeconds:F1} s).");
            return 0;
        }
        catch (Exception e) when (e is UsageException or WorldFormatException)
        {
            await stderr.WriteLineAsync($"simulate: {e.Message}");
            await stderr.WriteLineAsync("Usage: simulate --out DIR [--seekers N] [--vacancies M] [--candidates K] [--seed S] [--data DIR] [--shown N [--randomized-share P]]");
            return 2;
        }
    }
}
