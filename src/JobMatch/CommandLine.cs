namespace JobMatch;

/// <summary>
/// Command-line verbs (<c>dotnet run --project src/JobMatch -- VERB ...</c>). A verb runs and exits;
/// no verb starts the web app. Each feature owns its verb's code; this table only dispatches.
/// </summary>
internal static class CommandLine
{
    public static bool IsVerb(string[] args) => args.Length > 0 && !args[0].StartsWith('-') && !args[0].Contains('=');

    public static async Task<int> RunAsync(string[] args)
    {
        var rest = args[1..];
        switch (args[0])
        {
            case "migrate":
                return Migrate(rest);
            case "simulate":
                return await Ranking.SimulateCommand.RunAsync(rest, Console.Error);
            case "evaluate":
                return await Ranking.EvaluateCommand.RunAsync(rest, Console.Out, Console.Error);
            case "train":
                return await Matching.TrainCommand.RunAsync(rest);
            case "reencrypt":
                return await Privacy.ReencryptCommand.RunAsync(rest);
            default:
                await Console.Error.WriteLineAsync($"Unknown command '{args[0]}'. Commands: migrate, simulate, evaluate, train, reencrypt.");
                return 2;
        }
    }

    /// <summary>Applies the migrations to the configured database (or the embedded one) and exits.</summary>
    private static int Migrate(string[] args)
    {
        var configuration = Configuration(args);
        var connectionString = Database.DatabaseExtensions.ResolveConnectionString(configuration, Console.Out, out var embedded);
        try
        {
            Database.DatabaseMigrator.Migrate(connectionString, Console.Out);
            Console.WriteLine("Migrations applied.");
            return 0;
        }
        finally
        {
            embedded?.Stop();
        }
    }

    /// <summary>The same configuration sources the web app reads: appsettings, environment, command line.</summary>
    public static IConfiguration Configuration(string[] args) => new ConfigurationManager()
        .SetBasePath(AppContext.BaseDirectory)
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables()
        .AddCommandLine(args)
        .Build();
}
