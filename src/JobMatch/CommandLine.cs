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
            default:
                await Console.Error.WriteLineAsync($"Unknown command '{args[0]}'. Commands: migrate, simulate, evaluate, train.");
                return 2;
        }
    }
}
