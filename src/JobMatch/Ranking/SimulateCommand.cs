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
            var options = new CommandArgs(args, "out", "seekers", "vacancies", "candidates", "seed", "data", "shown", "randomized-share", "rounds", "exploration-share");
            if (options.Text("rounds") is not null)
            {
                return await ClosedLoopAsync(options, stderr);
            }

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
            await stderr.WriteLineAsync("       simulate --rounds N [--exploration-share 0.1] [--seekers N] [--vacancies M] [--candidates K] [--seed S] [--data DIR]");
            return 2;
        }
    }

    /// <summary>
    /// <c>simulate --rounds N [--exploration-share P]</c>: the learning loop (<see cref="ClosedLoopSimulation"/>) run
    /// on the same world with exploration at P, without exploration, and with exploration but unweighted learning,
    /// printed as one table row per round.
    /// </summary>
    private static async Task<int> ClosedLoopAsync(CommandArgs options, TextWriter stderr)
    {
        var simulation = new SimulationOptions
        {
            Seekers = options.Int("seekers", 4000, min: 1),
            Vacancies = options.Int("vacancies", 1000, min: 10),
            Candidates = options.Int("candidates", 40, min: 2),
            Seed = options.Int("seed", 1),
        };
        var rounds = options.Int("rounds", 10, min: 1);
        var share = options.Share("exploration-share", 0.1);
        var data = options.Text("data") is not null ? options.RequiredInputPath("data") : Taxonomy.FindDataDirectory();
        var world = new WorldSimulator(Taxonomy.Load(data), simulation).Generate();
        var with = ClosedLoopSimulation.Run(world, new ClosedLoopOptions { Rounds = rounds, ExplorationShare = share, Seed = simulation.Seed }, stderr);
        var without = ClosedLoopSimulation.Run(world, new ClosedLoopOptions { Rounds = rounds, ExplorationShare = 0, Seed = simulation.Seed }, stderr);
        var unweighted = ClosedLoopSimulation.Run(
            world, new ClosedLoopOptions { Rounds = rounds, ExplorationShare = share, Seed = simulation.Seed, Weighted = false }, stderr);
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(invariant, $"round,serving,whole_pool_ndcg10_explore_{share},whole_pool_ndcg10_no_explore,shown_ndcg10_explore_{share},shown_ndcg10_no_explore,women_exposure_explore,women_exposure_no_explore,whole_pool_ndcg10_explore_unweighted"));
        for (var i = 0; i < rounds; i++)
        {
            Console.WriteLine(string.Create(invariant,
                $"{i + 1},{with[i].Serving},{with[i].ServingNdcg10:F4},{without[i].ServingNdcg10:F4},{with[i].ShownNdcg10:F4},{without[i].ShownNdcg10:F4},{with[i].WomenExposureRatio:F3},{without[i].WomenExposureRatio:F3},{unweighted[i].ServingNdcg10:F4}"));
        }

        await stderr.WriteLineAsync("whole_pool: the serving ranker over held-out vacancies' whole pools against hidden relevance; shown: the lists employers saw.");
        return 0;
    }
}
