using System.CommandLine;
using System.Diagnostics;
using JobMatch.Commands;

namespace JobMatch.Ranking;

/// <summary>
/// <c>simulate --out DIR [--seekers N] [--vacancies M] [--candidates K] [--seed S] [--data DIR]</c>:
/// writes a synthetic world from the taxonomy in <c>--data</c> (default: the app's seed data folder).
/// </summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Folder to write the world to.", HelpName = "DIR", Required = true };
        var seekers = new Option<int>("--seekers") { Description = "Number of job seekers.", DefaultValueFactory = _ => 4000 }.AtLeast(1);
        var vacancies = new Option<int>("--vacancies") { Description = "Number of vacancies.", DefaultValueFactory = _ => 600 }.AtLeast(1);
        var candidates = new Option<int>("--candidates") { Description = "Candidates proposed per vacancy.", DefaultValueFactory = _ => 40 }.AtLeast(1);
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed writes the same world.", DefaultValueFactory = _ => 1 };
        var data = new Option<string?>("--data") { Description = "Folder holding the skills taxonomy (default: the app's data folder).", HelpName = "DIR" };
        var command = new Command("simulate", "Writes a synthetic world (seekers, vacancies, outcomes) for training and evaluating the ranking.")
        {
            output, seekers, vacancies, candidates, seed, data,
        };
        command.SetAction(async (result, ct) =>
        {
            var stderr = result.InvocationConfiguration.Error;
            try
            {
                var folder = Verb.OutputPath(result.GetRequiredValue(output));
                var simulation = new SimulationOptions
                {
                    Seekers = result.GetValue(seekers),
                    Vacancies = result.GetValue(vacancies),
                    Candidates = result.GetValue(candidates),
                    Seed = result.GetValue(seed),
                };
                var taxonomy = result.GetValue(data) is { } dir ? Verb.InputPath(dir) : Taxonomy.FindDataDirectory();
                var clock = Stopwatch.StartNew();
                var world = new WorldSimulator(Taxonomy.Load(taxonomy), simulation).Generate();
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

    /// <summary>Runs the verb on its own arguments (tests, and <see cref="CommandLine"/> through the root command).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stderr) => Verb.InvokeAsync(Create(), args, Console.Out, stderr);
}
