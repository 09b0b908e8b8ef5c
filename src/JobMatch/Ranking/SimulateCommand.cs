using System.CommandLine;
using System.Diagnostics;
using JobMatch.Commands;

namespace JobMatch.Ranking;

/// <summary>
/// <c>simulate --out DIR [--seekers N] [--vacancies M] [--candidates K] [--seed S] [--data DIR] [--shown N
/// [--randomized-share P]]</c>: writes a synthetic world from the taxonomy in <c>--data</c> (default: the app's seed
/// data folder). With <c>--shown</c> the world is a logged one (<see cref="WorldLogger"/>): outcomes only for the
/// shown top N with their positions, the whole pool in candidates.csv, and the hidden relevance of the whole pool in
/// relevance.csv (which evaluate never reads; it is there to score <c>--rankings</c> against).
/// <c>simulate --rounds N [--exploration-share P]</c> instead runs the learning loop (<see cref="ClosedLoopSimulation"/>)
/// on a simulated world with exploration at P, without exploration, and with exploration but unweighted learning,
/// and prints one CSV row per round.
/// </summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var output = new Option<string?>("--out") { Description = "Folder to write the world to (required unless --rounds).", HelpName = "DIR" };
        var seekers = new Option<int>("--seekers") { Description = "Number of job seekers.", DefaultValueFactory = _ => 4000 }.AtLeast(1);
        var vacancies = new Option<int>("--vacancies") { Description = "Number of vacancies.", DefaultValueFactory = _ => 600 }.AtLeast(1);
        var candidates = new Option<int>("--candidates") { Description = "Candidates proposed per vacancy.", DefaultValueFactory = _ => 40 }.AtLeast(1);
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed writes the same world.", DefaultValueFactory = _ => 1 };
        var data = new Option<string?>("--data") { Description = "Folder holding the skills taxonomy (default: the app's data folder).", HelpName = "DIR" };
        var shown = new Option<int?>("--shown") { Description = "Write a logged world: only the rule ranker's top N per vacancy were shown (position i examined with probability 1/i)." };
        var randomizedShare = new Option<double>("--randomized-share") { Description = "With --shown: share of vacancies whose shown list was in random order.", DefaultValueFactory = _ => 0.1 }.Share();
        var rounds = new Option<int?>("--rounds") { Description = "Run the learning loop for N rounds instead of writing a world." };
        var explorationShare = new Option<double>("--exploration-share") { Description = "With --rounds: share of shortlist slots filled at random from the next 20 ranks.", DefaultValueFactory = _ => 0.1 }.Share();
        var command = new Command("simulate", "Writes a synthetic world (seekers, vacancies, outcomes) for training and evaluating the ranking.")
        {
            output, seekers, vacancies, candidates, seed, data, shown, randomizedShare, rounds, explorationShare,
        };
        command.SetAction(async (result, ct) =>
        {
            var stderr = result.InvocationConfiguration.Error;
            try
            {
                if (result.GetValue(rounds) is { } roundCount)
                {
                    return await ClosedLoopAsync(result, roundCount, result.GetValue(explorationShare), seekers, vacancies, candidates, seed, data);
                }

                if (result.GetValue(output) is not { Length: > 0 } outArg)
                {
                    await stderr.WriteLineAsync("simulate: Option '--out' is required.");
                    return Verb.UsageError;
                }

                var folder = Verb.OutputPath(outArg);
                var (simulation, taxonomy) = World(result, seekers, vacancies, candidates, seed, data);
                var clock = Stopwatch.StartNew();
                var world = new WorldSimulator(SeedTaxonomy.Load(taxonomy), simulation).Generate();
                if (result.GetValue(shown) is { } top)
                {
                    WorldLogger.WriteRelevance(world, Directory.CreateDirectory(folder).FullName);
                    world = WorldLogger.Log(world, new LoggingOptions { Shown = Math.Max(1, top), RandomizedShare = result.GetValue(randomizedShare), Seed = simulation.Seed });
                }

                WorldWriter.Write(world, folder);
                await stderr.WriteLineAsync(
                    $"Wrote {world.Seekers.Count} seekers, {world.Vacancies.Count} vacancies, {world.Outcomes.Count} outcomes to {folder} from the taxonomy in {taxonomy} ({clock.Elapsed.TotalSeconds:F1} s).");
                return 0;
            }
            catch (WorldFormatException e)
            {
                await stderr.WriteLineAsync($"simulate: {e.Message}");
                return Verb.UsageError;
            }
        });
        return command;
    }

    /// <summary>The world's size and seed as given, and the taxonomy folder (--data, or the repository's own).</summary>
    private static (SimulationOptions Simulation, string Taxonomy) World(
        ParseResult result, Option<int> seekers, Option<int> vacancies, Option<int> candidates, Option<int> seed, Option<string?> data)
    {
        var simulation = new SimulationOptions
        {
            Seekers = result.GetValue(seekers),
            Vacancies = result.GetValue(vacancies),
            Candidates = result.GetValue(candidates),
            Seed = result.GetValue(seed),
        };
        return (simulation, result.GetValue(data) is { } dir ? Verb.InputPath(dir) : SeedTaxonomy.FindDataDirectory());
    }

    private static async Task<int> ClosedLoopAsync(
        ParseResult result, int rounds, double share, Option<int> seekers, Option<int> vacancies, Option<int> candidates, Option<int> seed, Option<string?> data)
    {
        var (stdout, stderr) = (result.InvocationConfiguration.Output, result.InvocationConfiguration.Error);
        var (simulation, taxonomy) = World(result, seekers, vacancies, candidates, seed, data);
        var world = new WorldSimulator(SeedTaxonomy.Load(taxonomy), simulation).Generate();
        var with = ClosedLoopSimulation.Run(world, new ClosedLoopOptions { Rounds = rounds, ExplorationShare = share, Seed = simulation.Seed }, stderr);
        var without = ClosedLoopSimulation.Run(world, new ClosedLoopOptions { Rounds = rounds, ExplorationShare = 0, Seed = simulation.Seed }, stderr);
        var unweighted = ClosedLoopSimulation.Run(
            world, new ClosedLoopOptions { Rounds = rounds, ExplorationShare = share, Seed = simulation.Seed, Weighted = false }, stderr);
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        await stdout.WriteLineAsync("round,serving,whole_pool_ndcg10_explore,whole_pool_ndcg10_no_explore,shown_ndcg10_explore,shown_ndcg10_no_explore,"
                                    + "women_exposure_explore,women_exposure_no_explore,whole_pool_ndcg10_explore_unweighted");
        for (var i = 0; i < with.Count; i++)
        {
            await stdout.WriteLineAsync(string.Create(invariant,
                $"{i + 1},{with[i].Serving},{with[i].ServingNdcg10:F4},{without[i].ServingNdcg10:F4},{with[i].ShownNdcg10:F4},{without[i].ShownNdcg10:F4},{with[i].WomenExposureRatio:F3},{without[i].WomenExposureRatio:F3},{unweighted[i].ServingNdcg10:F4}"));
        }

        await stderr.WriteLineAsync(string.Create(invariant,
            $"Exploration share {share}. whole_pool: the serving ranker over held-out vacancies' whole pools against hidden relevance; shown: the lists employers saw."));
        return 0;
    }

    /// <summary>Runs the verb on its own arguments (tests, and <see cref="CommandLine"/> through the root command).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stderr) => Verb.InvokeAsync(Create(), args, Console.Out, stderr);
}
