using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;

namespace JobMatch.Commands;

/// <summary>
/// What every command-line verb shares: parsing with System.CommandLine (help text from the options' descriptions,
/// validation before anything runs), one error format (<c>verb: message</c> on stderr, exit code 2, nothing on stdout),
/// and the app's configuration for verbs that touch the database. A feature builds its verb in its own folder
/// (<c>static Command Create()</c>) and <c>CommandLine.Verbs</c> lists it.
/// </summary>
internal static class Verb
{
    /// <summary>Exit code of a verb given bad arguments or bad input files.</summary>
    public const int UsageError = 2;

    /// <summary>Parses <paramref name="args"/> against <paramref name="command"/> and runs it, or reports the errors.</summary>
    public static async Task<int> InvokeAsync(Command command, IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var result = command.Parse(args);
        if (result.Errors.Count > 0 && result.Action is not HelpAction)
        {
            var verb = result.CommandResult.Command.Name;
            foreach (var error in result.Errors) await stderr.WriteLineAsync($"{verb}: {error.Message}");
            await stderr.WriteLineAsync($"See '{verb} --help'.");
            return UsageError;
        }
        return await result.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    /// <summary>
    /// Lets the verb take the app's settings after its own options (<c>--ConnectionStrings:JobMatch=...</c>), read by
    /// <see cref="Configuration"/>. Any other verb rejects an unknown option, so a typo never runs silently.
    /// </summary>
    public static Command WithSettings(this Command command)
    {
        command.TreatUnmatchedTokensAsErrors = false;
        command.Description += " Settings may follow as --Section:Key=value (e.g. --ConnectionStrings:JobMatch=...).";
        return command;
    }

    /// <summary>The same configuration sources the web app reads: appsettings, environment, the settings on the command line.</summary>
    public static IConfiguration Configuration(ParseResult result) => new ConfigurationManager()
        .SetBasePath(AppContext.BaseDirectory)
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables()
        .AddCommandLine(result.UnmatchedTokens.ToArray())
        .Build();

    /// <summary>A whole-number option that must be at least <paramref name="min"/>.</summary>
    public static Option<int> AtLeast(this Option<int> option, int min)
    {
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < min) r.AddError($"Option {option.Name} must be a whole number of at least {min}.");
        });
        return option;
    }

    /// <summary>A number option strictly between 0 and 1.</summary>
    public static Option<double> Fraction(this Option<double> option)
    {
        option.Validators.Add(r =>
        {
            var value = r.GetValueOrDefault<double>();
            if (!(value > 0 && value < 1)) r.AddError($"Option {option.Name} must be a number between 0 and 1, not {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        });
        return option;
    }

    /// <summary>A number option from 0 (off) to 1 (all), both allowed.</summary>
    public static Option<double> Share(this Option<double> option)
    {
        option.Validators.Add(r =>
        {
            var value = r.GetValueOrDefault<double>();
            if (!(value >= 0 && value <= 1)) r.AddError($"Option {option.Name} must be a number from 0 to 1, not {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        });
        return option;
    }

    /// <summary>
    /// A path to read. <c>dotnet run --project src/JobMatch</c> runs the app in the project folder (the Web SDK's run
    /// directory), not the caller's; a relative path that does not exist there but does exist under the caller's shell
    /// directory ($PWD) is taken from there. Errors show the full path.
    /// </summary>
    public static string InputPath(string path)
    {
        if (Path.IsPathRooted(path) || Path.Exists(path)) return Path.GetFullPath(path);
        var shell = Environment.GetEnvironmentVariable("PWD");
        return shell is { Length: > 0 } && Path.Exists(Path.Combine(shell, path))
            ? Path.GetFullPath(Path.Combine(shell, path))
            : Path.GetFullPath(path);
    }

    /// <summary>A path to write, relative to the caller's shell directory ($PWD) for the reason given at <see cref="InputPath"/>.</summary>
    public static string OutputPath(string path) =>
        Path.IsPathRooted(path) || Environment.GetEnvironmentVariable("PWD") is not { Length: > 0 } shell
            ? Path.GetFullPath(path)
            : Path.GetFullPath(Path.Combine(shell, path));
}
