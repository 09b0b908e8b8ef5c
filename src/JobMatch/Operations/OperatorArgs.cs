namespace JobMatch.Operations;

/// <summary>
/// The arguments of an operator verb: its own options (<c>--out FILE</c>, <c>--force</c>) and configuration settings
/// (<c>--JobMatch:DataDirectory=/srv/jobmatch</c>: a name with a colon), read the same way the web app reads them.
/// An unknown option is an error, so a typo never runs silently.
/// </summary>
internal sealed class OperatorArgs
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    public OperatorArgs(string[] args, string[] valueOptions, string[] flags)
    {
        var settings = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal)) throw new OperatorException($"Unexpected argument '{arg}'.");
            var name = arg[2..];
            if (name.Contains(':'))
            {
                settings.Add(arg);
                continue;
            }
            string? value = null;
            if (name.IndexOf('=', StringComparison.Ordinal) is var equals and >= 0) (name, value) = (name[..equals], name[(equals + 1)..]);
            if (flags.Contains(name))
            {
                _values[name] = value ?? "true";
            }
            else if (valueOptions.Contains(name))
            {
                _values[name] = value ?? (i + 1 < args.Length ? args[++i] : throw new OperatorException($"Option --{name} needs a value."));
            }
            else
            {
                throw new OperatorException($"Unknown option --{name}. Options: {string.Join(", ", valueOptions.Concat(flags).Select(o => "--" + o))}.");
            }
        }
        Configuration = CommandLine.Configuration([.. settings]);
    }

    public IConfiguration Configuration { get; }

    public bool Flag(string name) => _values.TryGetValue(name, out var v) && !string.Equals(v, "false", StringComparison.OrdinalIgnoreCase);

    public string? OptionalPath(string name) =>
        _values.GetValueOrDefault(name) is { Length: > 0 } path ? Ranking.CommandArgs.FromCaller(path) : null;

    /// <summary>A path the operator typed, relative to the shell's folder (<c>dotnet run</c> runs in the project folder).</summary>
    public string RequiredPath(string name) =>
        OptionalPath(name) ?? throw new OperatorException($"Option --{name} FILE is required.");
}
