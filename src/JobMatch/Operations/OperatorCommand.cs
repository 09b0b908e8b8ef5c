namespace JobMatch.Operations;

/// <summary>Runs an operator verb: an <see cref="OperatorException"/> is printed as a plain message with exit code 1.</summary>
internal static class OperatorCommand
{
    public static async Task<int> RunAsync(TextWriter log, Func<Task> run)
    {
        try
        {
            await run();
            return 0;
        }
        catch (OperatorException e)
        {
            log.WriteLine("error: " + e.Message);
            return 1;
        }
    }
}
