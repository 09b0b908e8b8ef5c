using System.Diagnostics;

namespace JobMatch.Ranking;

/// <summary>
/// <c>simulate --out DIR [--seekers N] [--vacancies M] [--candidates K] [--seed S] [--data DIR]</c>:
/// writes a synthetic world from the taxonomy in <c>--data</c> (default: the app's seed data folder).
/// </summary>
internal static class SimulateCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter stderr)
    {
        try
        {
            var options = new CommandArgs(args, "out", "seekers", "vacancies", "candidates", "seed", "data");
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
            WorldWriter.Write(world, output);
            await stderr.WriteLineAsync(
                $"Wrote {world.Seekers.Count} seekers, {world.Vacancies.Count} vacancies, {world.Outcomes.Count} outcomes to {output} from the taxonomy in {data} ({clock.Elapsed.TotalSeconds:F1} s).");
            return 0;
        }
        catch (Exception e) when (e is UsageException or WorldFormatException)
        {
            await stderr.WriteLineAsync($"simulate: {e.Message}");
            await stderr.WriteLineAsync("Usage: simulate --out DIR [--seekers N] [--vacancies M] [--candidates K] [--seed S] [--data DIR]");
            return 2;
        }
    }
}
