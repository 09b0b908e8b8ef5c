using NetArchTest.Rules;

namespace JobMatch.Tests.Architecture;

/// <summary>The app's feature folders as the architecture tests see them: namespace JobMatch.X (JobMatch.Pages.X for pages).</summary>
internal static class Folders
{
    public static readonly System.Reflection.Assembly App = typeof(JobMatch.Web.FieldErrors).Assembly;

    public static readonly string SourceRoot = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/JobMatch"));

    /// <summary>"Seekers" for JobMatch.Seekers.X, "Pages/Employer" for JobMatch.Pages.Employer; null for the composition root and generated code.</summary>
    public static string? Of(string? ns)
    {
        if (ns is null || !ns.StartsWith("JobMatch.", StringComparison.Ordinal)) return null;
        var parts = ns.Split('.');
        return parts[1] == "Pages" && parts.Length > 2 ? "Pages/" + parts[2] : parts[1];
    }

    /// <summary>Every folder namespace of the app assembly.</summary>
    public static IReadOnlyList<string> All() =>
        [.. App.GetTypes().Select(t => Of(t.Namespace)).OfType<string>().Distinct().Order(StringComparer.Ordinal)];

    public static string Namespace(string folder) => "JobMatch." + folder.Replace('/', '.');

    /// <summary>The folders whose code depends on <paramref name="dependency"/> (a namespace or type name prefix).</summary>
    public static IReadOnlySet<string> DependingOn(string dependency) => DependingOn(Types.InAssembly(App), dependency);

    /// <summary>As above, in <paramref name="types"/> read once by the caller: a caller asking for every folder reads the assembly once, not once per folder.</summary>
    public static IReadOnlySet<string> DependingOn(Types types, string dependency) =>
        (types.That().HaveDependencyOn(dependency).GetTypes() ?? [])
            .Select(t => Of(t.Namespace)).OfType<string>().ToHashSet(StringComparer.Ordinal);

    /// <summary>The .cs files of src/JobMatch with their folder (bin and obj left out).</summary>
    public static IEnumerable<(string Folder, string Path, string Text)> SourceFiles() =>
        Directory.GetFiles(SourceRoot, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal))
            .Select(f =>
            {
                var parts = Path.GetRelativePath(SourceRoot, f).Split('/');
                var folder = parts.Length == 1 ? "(root)" : parts[0] == "Pages" && parts.Length > 2 ? "Pages/" + parts[1] : parts[0];
                return (folder, f, File.ReadAllText(f));
            });
}
