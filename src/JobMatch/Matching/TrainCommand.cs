using System.CommandLine;
using JobMatch.Commands;
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
    public static Command Create()
    {
        var world = new Option<string?>("--world") { Description = "Train on this world (e.g. written by simulate).", HelpName = "DIR" };
        var fromDatabase = new Option<bool>("--from-database") { Description = "Train on the outcomes recorded in the database." };
        var seed = new Option<int>("--seed") { Description = "Random seed of the training.", DefaultValueFactory = _ => 42 };
        var command = new Command("train", "Trains a ranking model and makes it active if it ranks held-out vacancies at least as well as the active one.")
        {
            world, fromDatabase, seed,
        }.WithSettings();
        command.Validators.Add(r =>
        {
            if ((r.GetValue(world) is null) == !r.GetValue(fromDatabase)) r.AddError("Give exactly one of --world DIR or --from-database.");
        });
        command.SetAction((parsed, ct) => RunAsync(parsed, parsed.GetValue(world), parsed.GetValue(seed), ct));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parsed, string? world, int seed, CancellationToken ct)
    {
        var (stdout, stderr) = (parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error);
        var connectionString = DatabaseExtensions.ResolveConnectionString(Verb.Configuration(parsed), stderr, out var embedded);
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
                var dataset = RankingDataset.FromWorld(WorldReader.Read(Verb.InputPath(world)));
                (examples, women, source) = (dataset.Examples, dataset.WomenRefs, ModelRegistry.SimulatedWorld);
            }
            else
            {
                (examples, women) = await new OutcomeExamples(db, new CandidateQueries(), new SkillCatalog(db), TimeProvider.System).LoadAsync(ct);
                source = ModelRegistry.RecordedOutcomes;
            }
            var result = await registry.TrainAndRegisterAsync(examples, women, source, seed, ct);
            await stdout.WriteLineAsync($"Model {result.Version} trained from {source} ({examples.Count} rows): NDCG@10 {result.ModelNdcg10:F4} " +
                $"(rule {result.RuleNdcg10:F4}, active {(result.ActiveNdcg10 is { } a ? a.ToString("F4", System.Globalization.CultureInfo.InvariantCulture) : "none")}); " +
                $"gate {result.Gate}: {result.ModelGate:F4} against {(result.ActiveGate is { } g ? g.ToString("F4", System.Globalization.CultureInfo.InvariantCulture) : "none")}; " +
                (result.Promoted ? "now active." : "not promoted: the active model ranks held-out vacancies better."));
            return 0;
        }
        catch (Exception e) when (e is WorldFormatException or InvalidOperationException or IOException)
        {
            await stderr.WriteLineAsync($"train: {e.Message}");
            return Verb.UsageError;
        }
        finally
        {
            embedded?.Stop();
        }
    }
}
