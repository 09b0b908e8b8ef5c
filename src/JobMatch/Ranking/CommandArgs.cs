using System.Globalization;

namespace JobMatch.Ranking;

/// <summary>
/// <c>--name value</c> / <c>--name=value</c> options of one verb. Unknown options, missing values and
/// unparsable numbers are errors (<see cref="UsageException"/>), so a typo never runs silently.
/// </summary>
internal sealed class CommandArgs
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public CommandArgs(string[] args, params string[] known)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"Unexpected argument '{arg}'.");
            }

            var name = arg[2..];
            string value;
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                value = name[(equals + 1)..];
                name = name[..equals];
            }
            else if (i + 1 < args.Length)
            {
                value = args[++i];
            }
            else
            {
                throw new UsageException($"Option --{name} needs a value.");
            }

            if (!known.Contains(name))
            {
                throw new UsageException($"Unknown option --{name}. Options: {string.Join(", ", known.Select(k => "--" + k))}.");
            }

            _values[name] = value;
        }
    }

    public string? Text(string name) => _values.GetValueOrDefault(name);

    public string RequiredText(string name) =>
        Text(name) is { Length: > 0 } value ? value : throw new UsageException($"Option --{name} is required.");

    /// <summary>
    /// A path to read. <c>dotnet run --project src/JobMatch</c> runs the app in the project folder (the
    /// Web SDK's run directory), not the caller's; a relative path that does not exist there but does
    /// exist under the caller's shell directory ($PWD) is taken from there. Errors show the full path.
    /// </summary>
    public string RequiredInputPath(string name)
    {
        var path = RequiredText(name);
        if (Path.IsPathRooted(path) || Path.Exists(path))
        {
            return Path.GetFullPath(path);
        }

        var shell = Environment.GetEnvironmentVariable("PWD");
        return shell is { Length: > 0 } && Path.Exists(Path.Combine(shell, path))
            ? Path.GetFullPath(Path.Combine(shell, path))
            : Path.GetFullPath(path);
    }

    /// <summary>
    /// A path to write, relative to the caller's shell directory ($PWD) for the same reason as
    /// <see cref="RequiredInputPath"/>: the caller typed it there, whatever folder <c>dotnet run</c> picked.
    /// </summary>
    public string? OutputPath(string name) => Text(name) is { Length: > 0 } path ? FromCaller(path) : null;

    public static string FromCaller(string path) =>
        Path.IsPathRooted(path) || Environment.GetEnvironmentVariable("PWD") is not { Length: > 0 } shell
            ? Path.GetFullPath(path)
            : Path.GetFullPath(Path.Combine(shell, path));

    public int Int(string name, int fallback, int min = int.MinValue) =>
        Text(name) is not { } text
            ? fallback
            : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min
                ? value
                : throw new UsageException($"Option --{name} must be a whole number of at least {min}, not '{text}'.");

    public double Fraction(string name, double fallback) =>
        Text(name) is not { } text
            ? fallback
            : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && value < 1
                ? value
                : throw new UsageException($"Option --{name} must be a number between 0 and 1, not '{text}'.");

    /// <summary>Like <see cref="Fraction"/>, but 0 (off) and 1 (all) are allowed.</summary>
    public double Share(string name, double fallback) =>
        Text(name) is not { } text
            ? fallback
            : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && value <= 1
                ? value
                : throw new UsageException($"Option --{name} must be a number from 0 to 1, not '{text}'.");
}

internal sealed class UsageException(string message) : Exception(message);
