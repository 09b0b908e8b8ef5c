using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Tests.Architecture;

/// <summary>
/// Every type of the app has a name of its own (issue 19 found two <c>SeekerProfile</c>, two <c>Taxonomy</c> and
/// several <c>Outcome</c> types): a name that two folders use says what neither is, and a reader (or a search, or a
/// stack trace) has to open the namespace to know which one is meant.
/// </summary>
public sealed class TypeNameTests
{
    [Fact]
    public void TypeNames_AreUnique_InTheAppAssembly()
    {
        var clashes = Clashes(Folders.App.GetTypes());

        Assert.True(clashes.Count == 0, "Types that share a simple name (rename one so the name says what it is): " +
            string.Join("; ", clashes.Select(c => c.Key + ": " + string.Join(", ", c.Value))));
    }

    /// <summary>The rule would see a violation: a second top-level type named like one of the app's is reported.</summary>
    [Fact]
    public void Clashes_ReportsBothTypes_WhenTwoTopLevelTypesShareAName()
    {
        var clashes = Clashes([.. Folders.App.GetTypes(), typeof(NameClash.Taxonomy)]);

        Assert.Equal(["JobMatch.Tests.Architecture.NameClash.Taxonomy", "JobMatch.Vacancies.Taxonomy"], clashes["Taxonomy"]);
    }

    /// <summary>Simple name → the full names of the types that share it, among the types the rule counts.</summary>
    private static Dictionary<string, string[]> Clashes(IEnumerable<Type> types) =>
        types.Where(Counts)
            .GroupBy(t => t.Name, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .ToDictionary(g => g.Key, g => g.Select(t => t.FullName!).Order(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);

    /// <summary>
    /// What is left out, and why:
    /// nested types, because outside their container they are always named through it (<c>MatchTransitions.Outcome</c>,
    /// <c>ChamberVetting.Result</c>), so the container says what they are, and the private <c>Row</c> classes are each one
    /// query's shape;
    /// generated code (compiler-generated types, and everything outside the <c>JobMatch</c> namespaces: Razor's compiled
    /// views, source generators' output), because nobody writes or reads those names;
    /// Razor page models named after their page (<c>Pages/Admin/Employer.cshtml</c> → <c>EmployerModel</c>), because
    /// that is the framework's convention and the page's folder, which is also its route, is its name.
    /// </summary>
    private static bool Counts(Type t) =>
        !t.IsNested
        && t.GetCustomAttribute<CompilerGeneratedAttribute>() is null
        && t.Namespace is { } ns && (ns == "JobMatch" || ns.StartsWith("JobMatch.", StringComparison.Ordinal))
        && !IsPageModelOfItsPage(t);

    private static bool IsPageModelOfItsPage(Type t) =>
        typeof(PageModel).IsAssignableFrom(t)
        && t.Namespace!.StartsWith("JobMatch.Pages", StringComparison.Ordinal)
        && t.Name.EndsWith("Model", StringComparison.Ordinal)
        && File.Exists(Path.Combine(Folders.SourceRoot, Path.Combine(t.Namespace.Split('.').Skip(1).ToArray()), t.Name[..^"Model".Length] + ".cshtml"));
}
