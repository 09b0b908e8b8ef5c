using System.CommandLine;
using JobMatch.Commands;

namespace JobMatch;

/// <summary>
/// Command-line verbs (<c>dotnet run --project src/JobMatch -- VERB ...</c>; <c>-- --help</c> lists them). A verb runs
/// and exits; no verb starts the web app. Each feature builds its verb in its own folder; adding one is one line here.
/// </summary>
internal static class CommandLine
{
    private static readonly Func<Command>[] Verbs =
    [
        Database.MigrateCommand.Create,
        Ranking.SimulateCommand.Create,
        Ranking.EvaluateCommand.Create,
        Matching.TrainCommand.Create,
        Operations.BackupCommand.Create,
        Operations.RestoreCommand.Create,
        Operations.ExportKeyCommand.Create,
        Operations.ImportKeyCommand.Create,
        Sms.SmsSendCommand.Create,
        Operations.ReencryptCommand.Create,
    ];

    /// <summary>A first argument that is a word (not a setting such as <c>--Kestrel:...</c>), or a request for help.</summary>
    public static bool IsVerb(string[] args) =>
        args.Length > 0 && (args[0] is "--help" or "-h" or "-?" || (!args[0].StartsWith('-') && !args[0].Contains('=')));

    public static Task<int> RunAsync(string[] args) => Verb.InvokeAsync(Root(), args, Console.Out, Console.Error);

    public static RootCommand Root()
    {
        var root = new RootCommand("JobMatch. Without a verb it serves the web app; with one it runs the verb and exits.");
        foreach (var verb in Verbs) root.Subcommands.Add(verb());
        return root;
    }
}
