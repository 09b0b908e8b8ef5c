using System.CommandLine;
using System.Diagnostics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using JobMatch.Commands;

namespace JobMatch.Ranking;

/// <summary>
/// <c>evaluate --world DIR [--test-fraction 0.2] [--seed N] [--json FILE]</c> (src/JobMatch/Ranking/README.md):
/// split the world's vacancies, train on the train side only, rank each test vacancy's candidates with
/// model, rule and random. Stdout carries only the JSON so it can be piped; progress goes to stderr.
/// Exit code 2 for bad arguments or a malformed world. The split is over vacancies that have candidates
/// (rows in outcomes.csv); a vacancy nobody was proposed for has nothing to rank.
/// </summary>
internal static class EvaluateCommand
{
    public const int DefaultSeed = 42;

    public static Command Create()
    {
        var world = new Option<string>("--world") { Description = "Folder of the world to evaluate on (e.g. written by simulate).", HelpName = "DIR", Required = true };
        var fraction = new Option<double>("--test-fraction") { Description = "Share of the vacancies held out for testing.", DefaultValueFactory = _ => 0.2 }.Fraction();
        var seed = new Option<int>("--seed") { Description = "Random seed of the split and the training.", DefaultValueFactory = _ => DefaultSeed };
        var json = new Option<string?>("--json") { Description = "Also write the JSON report to this file.", HelpName = "FILE" };
        var command = new Command("evaluate", "Trains on part of a world and compares model, rule and random ranking on the rest; prints JSON.")
        {
            world, fraction, seed, json,
        };
        command.SetAction(async (result, ct) =>
        {
            var (stdout, stderr) = (result.InvocationConfiguration.Output, result.InvocationConfiguration.Error);
            try
            {
                var worldArg = result.GetRequiredValue(world);
                var jsonFile = result.GetValue(json) is { Length: > 0 } file ? Verb.OutputPath(file) : null;
                var seedValue = result.GetValue(seed);
                var clock = Stopwatch.StartNew();
                var read = WorldReader.Read(Verb.InputPath(worldArg));
                await stderr.WriteLineAsync(
                    $"Read {read.Seekers.Count} seekers, {read.Vacancies.Count} vacancies, {read.Outcomes.Count} outcomes ({clock.Elapsed.TotalSeconds:F1} s).");
                var report = Evaluate(read, worldArg, result.GetValue(fraction), seedValue, new RankingTrainerOptions { Seed = seedValue }, stderr);
                var text = ToJson(report);
                await stdout.WriteLineAsync(text);
                if (jsonFile is not null)
                {
                    await File.WriteAllTextAsync(jsonFile, text + "\n", new UTF8Encoding(false), ct);
                    await stderr.WriteLineAsync($"Wrote {jsonFile}.");
                }

                await stderr.WriteLineAsync($"Done in {clock.Elapsed.TotalSeconds:F1} s.");
                return 0;
            }
            catch (WorldFormatException e)
            {
                await stderr.WriteLineAsync($"evaluate: {e.Message}");
                return Verb.UsageError;
            }
        });
        return command;
    }

    /// <summary>Runs the verb on its own arguments (tests, and <see cref="CommandLine"/> through the root command).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr) => Verb.InvokeAsync(Create(), args, stdout, stderr);

    public static EvaluationReport Evaluate(
        World world, string worldName, double testFraction, int seed, RankingTrainerOptions trainerOptions, TextWriter log)
    {
        var clock = Stopwatch.StartNew();
        var dataset = RankingDataset.FromWorld(world);
        log.WriteLine($"Built {dataset.Examples.Count} examples ({clock.Elapsed.TotalSeconds:F1} s).");
        if (dataset.SkippedOutcomes > 0)
        {
            log.WriteLine($"Skipped {dataset.SkippedOutcomes} outcome rows naming an unknown seeker or vacancy.");
        }

        var (train, test) = RankingDataset.SplitVacancies(dataset.Examples.Select(e => e.VacancyRef), testFraction, seed);
        var trainRows = dataset.Examples.Where(e => train.Contains(e.VacancyRef)).ToList();
        var testRows = dataset.Examples.Where(e => test.Contains(e.VacancyRef)).ToList();
        if (trainRows.Count == 0 || testRows.Count == 0)
        {
            throw new WorldFormatException($"{worldName}: too few vacancies with candidates to split into train and test.");
        }

        if (!trainRows.Any(e => e.Label > 0))
        {
            throw new WorldFormatException($"{worldName}: no train vacancy has a shortlisted, interviewed or hired candidate.");
        }

        log.WriteLine($"Training {trainerOptions.Algorithm} on {train.Count} vacancies ({trainRows.Count} rows)...");
        clock.Restart();
        var model = new RankingTrainer(trainerOptions).Train(trainRows);
        log.WriteLine($"Trained in {clock.Elapsed.TotalSeconds:F1} s.");

        var rankers = new (string Name, IRanker Ranker)[]
        {
            ("model", model),
            ("rule", new RuleRanker()),
            ("random", new RandomRanker(seed)),
        };
        var results = new List<(string Name, RankerMetrics Metrics)>();
        foreach (var (name, ranker) in rankers)
        {
            clock.Restart();
            results.Add((name, RankingEvaluator.Evaluate(ranker, testRows, dataset.WomenRefs)));
            log.WriteLine($"Ranked {test.Count} test vacancies with {name} ({clock.Elapsed.TotalSeconds:F1} s).");
        }

        return new EvaluationReport(worldName, train.Count, test.Count, results[0].Metrics.ScoredVacancies, results);
    }

    /// <summary>The documented shape, keys in the documented order; extra key: top10_concentration.</summary>
    public static string ToJson(EvaluationReport report)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("world", report.World);
            json.WriteNumber("train_vacancies", report.TrainVacancies);
            json.WriteNumber("test_vacancies", report.TestVacancies);
            json.WriteNumber("scored_test_vacancies", report.ScoredTestVacancies);
            json.WriteStartObject("rankers");
            foreach (var (name, m) in report.Rankers)
            {
                json.WriteStartObject(name);
                json.WriteNumber("ndcg@1", Round(m.Ndcg1));
                json.WriteNumber("ndcg@3", Round(m.Ndcg3));
                json.WriteNumber("ndcg@10", Round(m.Ndcg10));
                if (m.WomenExposureRatio is { } ratio)
                {
                    json.WriteNumber("women_exposure_ratio", Round(ratio));
                }
                else
                {
                    json.WriteNull("women_exposure_ratio");
                }

                json.WriteNumber("top10_concentration", Round(m.Top10Concentration));
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static double Round(double value) => Math.Round(value, 4, MidpointRounding.AwayFromZero);
}

internal sealed record EvaluationReport(
    string World,
    int TrainVacancies,
    int TestVacancies,
    int ScoredTestVacancies,
    IReadOnlyList<(string Name, RankerMetrics Metrics)> Rankers);
