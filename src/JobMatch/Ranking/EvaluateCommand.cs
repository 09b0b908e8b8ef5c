using System.CommandLine;
using System.Diagnostics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using JobMatch.Commands;

namespace JobMatch.Ranking;

/// <summary>
/// <c>evaluate --world DIR [--test-fraction 0.2] [--seed N] [--json FILE] [--rankings FILE]</c> (the world format is
/// in src/JobMatch/Ranking/README.md): split the world's vacancies, train on the train side only, rank each test
/// vacancy's candidates with model, rule and random. Stdout carries only the JSON so it can be piped; progress goes to
/// stderr. Exit code 2 for bad arguments or a malformed world. The split is over vacancies that have candidates (rows
/// in outcomes.csv or candidates.csv); a vacancy nobody was proposed for has nothing to rank. In a logged world
/// (outcomes carry positions) the model trains only on what was shown, each positive weighted by the inverse of its
/// examination propensity (<see cref="ExaminationPropensity"/>), ranks each test vacancy's whole pool, and a second
/// ranker, <c>model_unweighted</c>, shows what the same training without the weights gives.
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
        var rankings = new Option<string?>("--rankings")
        {
            Description = "Also write every ranker's full order of each test vacancy's candidates as CSV (vacancy_ref,seeker_ref,ranker,rank).",
            HelpName = "FILE",
        };
        var command = new Command("evaluate", "Trains on part of a world and compares model, rule and random ranking on the rest; prints JSON.")
        {
            world, fraction, seed, json, rankings,
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
                if (result.GetValue(rankings) is { Length: > 0 } rankingsFile)
                {
                    var path = Verb.OutputPath(rankingsFile);
                    RankingsFile.Write(report.Orders, path);
                    await stderr.WriteLineAsync($"Wrote {path}.");
                }

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
        // Never-shown candidates of train vacancies carry no label: the trainer leaves them out.
        var trainRows = dataset.Examples.Where(e => train.Contains(e.VacancyRef) && e.Shown).ToList();
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
        var propensity = world.IsLogged ? ExaminationPropensity.Estimate(trainRows) : null;
        if (world.IsLogged)
        {
            log.WriteLine(propensity is null
                ? "Logged world without randomized rows: examination cannot be estimated; training unweighted."
                : $"Examination by position from {propensity.RandomizedRows} randomized rows: "
                  + string.Join(" ", propensity.ByPosition.Select(t => t.ToString("F2", System.Globalization.CultureInfo.InvariantCulture))));
        }

        var model = new RankingTrainer(trainerOptions).Train(trainRows, propensity is null ? null : propensity.Weight);
        log.WriteLine($"Trained in {clock.Elapsed.TotalSeconds:F1} s.");

        var rankers = new List<(string Name, IRanker Ranker)> { ("model", model) };
        if (propensity is not null)
        {
            rankers.Add(("model_unweighted", new RankingTrainer(trainerOptions).Train(trainRows)));
        }

        rankers.Add(("rule", new RuleRanker()));
        rankers.Add(("random", new RandomRanker(seed)));
        var results = new List<(string Name, RankerMetrics Metrics)>();
        var orders = new List<RankedList>();
        foreach (var (name, ranker) in rankers)
        {
            clock.Restart();
            results.Add((name, RankingEvaluator.Evaluate(
                ranker, testRows, dataset.WomenRefs, (vacancy, order) => orders.Add(new RankedList(name, vacancy, order)))));
            log.WriteLine($"Ranked {test.Count} test vacancies with {name} ({clock.Elapsed.TotalSeconds:F1} s).");
        }

        return new EvaluationReport(worldName, train.Count, test.Count, results[0].Metrics.ScoredVacancies, results) { Orders = orders };
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
    IReadOnlyList<(string Name, RankerMetrics Metrics)> Rankers)
{
    /// <summary>Every ranker's full order of every test vacancy (for <c>--rankings</c>), ranker by ranker.</summary>
    public IReadOnlyList<RankedList> Orders { get; init; } = [];
}
