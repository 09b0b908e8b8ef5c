using JobMatch.Database;
using JobMatch.Ranking;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace JobMatch.Matching;

/// <summary>
/// <c>train --world DIR [--seed N]</c> trains on a world (e.g. from <c>simulate</c>) and registers the model as trained
/// on simulated data; <c>train --from-database</c> trains on the outcomes recorded in the database. Either way the new
/// model becomes active only if it ranks held-out vacancies at least as well as the active one.
/// </summary>
internal static class TrainCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? world = null;
        var fromDatabase = false;
        var seed = 42;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--world" when i + 1 < args.Length: world = args[++i]; break;
                case "--from-database": fromDatabase = true; break;
                case "--seed" when i + 1 < args.Length && int.TryParse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture, out var s): seed = s; i++; break;
                default:
                    if (args[i].StartsWith("--", StringComparison.Ordinal) && args[i].Contains('=')) break; // configuration, e.g. --ConnectionStrings:JobMatch=...
                    return Usage($"unexpected argument '{args[i]}'");
            }
        }
        if ((world is null) == !fromDatabase) return Usage("give exactly one of --world DIR or --from-database");

        var configuration = CommandLine.Configuration(args.Where(a => a.Contains('=')).ToArray());
        var connectionString = DatabaseExtensions.ResolveConnectionString(configuration, Console.Error, out var embedded);
        try
        {
            DatabaseMigrator.Migrate(connectionString);
            await using var db = NpgsqlDataSource.Create(connectionString);
            var registry = new ModelRegistry(db, NullLogger<ModelRegistry>.Instance);
            IReadOnlyList<RankingExample> examples;
            IReadOnlySet<string> women;
            string source;
            if (world is not null)
            {
                var dataset = RankingDataset.FromWorld(WorldReader.Read(ResolveWorld(world)));
                (examples, women, source) = (dataset.Examples, dataset.WomenRefs, ModelRegistry.SimulatedWorld);
            }
            else
            {
                (examples, women) = await new OutcomeExamples(db, new CandidateQueries(), new SkillCatalog(db), TimeProvider.System).LoadAsync(CancellationToken.None);
                source = ModelRegistry.RecordedOutcomes;
            }
            var result = await registry.TrainAndRegisterAsync(examples, women, source, seed, CancellationToken.None);
            Console.WriteLine($"Model {result.Version} trained from {source} ({examples.Count} rows): NDCG@10 {result.ModelNdcg10:F4} " +
                $"(rule {result.RuleNdcg10:F4}, active {(result.ActiveNdcg10 is { } a ? a.ToString("F4", System.Globalization.CultureInfo.InvariantCulture) : "none")}); " +
                (result.Promoted ? "now active." : "not promoted: the active model ranks held-out vacancies better."));
            return 0;
        }
        catch (Exception e) when (e is WorldFormatException or InvalidOperationException or IOException)
        {
            await Console.Error.WriteLineAsync($"train: {e.Message}");
            return 2;
        }
        finally
        {
            embedded?.Stop();
        }
    }

    /// <summary>As the ranking commands do: a relative folder that is not here is looked for under the caller's shell directory.</summary>
    private static string ResolveWorld(string path) => Path.IsPathRooted(path) || Directory.Exists(path) ? Path.GetFullPath(path) : CommandArgs.FromCaller(path);

    private static int Usage(string problem)
    {
        Console.Error.WriteLine($"train: {problem}");
        Console.Error.WriteLine("Usage: train --world DIR [--seed N] | train --from-database");
        return 2;
    }
}
