using System.Text;

namespace JobMatch.Operations;

/// <summary>
/// The passphrase for <c>export-key</c>/<c>import-key</c>: typed at the console without echo (twice when sealing);
/// from standard input when that is a pipe; or from <c>JOBMATCH_KEY_PASSPHRASE</c> for scripts and tests (an
/// environment variable is visible to the same user's processes: prefer typing it).
/// </summary>
internal static class Passphrase
{
    public const string EnvironmentVariable = "JOBMATCH_KEY_PASSPHRASE";
    private const int MinimumLength = 12;

    public static string Read(TextWriter log, bool confirm)
    {
        var passphrase = Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : Console.IsInputRedirected ? Console.In.ReadLine() ?? "" : Prompt(log, "Passphrase: ");
        if (passphrase.Length < MinimumLength) throw new OperatorException($"The passphrase must be at least {MinimumLength} characters.");
        if (confirm && Environment.GetEnvironmentVariable(EnvironmentVariable) is not { Length: > 0 } && !Console.IsInputRedirected
            && Prompt(log, "Again: ") != passphrase)
        {
            throw new OperatorException("The two passphrases differ.");
        }
        return passphrase;
    }

    private static string Prompt(TextWriter log, string prompt)
    {
        log.Write(prompt);
        log.Flush();
        var typed = new StringBuilder();
        while (Console.ReadKey(intercept: true) is var key && key.Key != ConsoleKey.Enter)
        {
            if (key.Key == ConsoleKey.Backspace) { if (typed.Length > 0) typed.Length--; }
            else if (!char.IsControl(key.KeyChar)) typed.Append(key.KeyChar);
        }
        log.WriteLine();
        return typed.ToString();
    }
}
