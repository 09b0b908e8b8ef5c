using System.CommandLine;
using JobMatch.Commands;

namespace JobMatch.Operations;

/// <summary>
/// What the operator verbs share: an <see cref="OperatorException"/> (a refusal or an operator's mistake) is printed as
/// <c>verb: message</c> on stderr with exit code 1, without a stack trace; bad arguments are usage errors (2).
/// </summary>
internal static class OperatorCommand
{
    public static void SetOperatorAction(this Command command, Func<ParseResult, IConfiguration, TextWriter, CancellationToken, Task> run) =>
        command.SetAction(async (result, ct) =>
        {
            try
            {
                await run(result, Verb.Configuration(result), result.InvocationConfiguration.Output, ct);
                return 0;
            }
            catch (OperatorException e)
            {
                await result.InvocationConfiguration.Error.WriteLineAsync($"{command.Name}: {e.Message}");
                return 1;
            }
        });

    /// <summary>Runs <paramref name="command"/> on <paramref name="args"/> with both outputs to <paramref name="log"/> (tests, scripts).</summary>
    public static Task<int> RunAsync(Command command, string[] args, TextWriter log) => Verb.InvokeAsync(command, args, log, log);
}
