using System.Xml.Linq;

namespace JobMatch.Tests.Architecture;

/// <summary>
/// `dotnet test` at the top runs the test projects side by side, but a test project that references another one waits
/// for it: MSBuild must build the referenced project, and cannot while that project is busy running its tests. With
/// the browser tests referencing JobMatch.Tests, CI took the sum of the two runs (about 11 + 7.5 minutes) instead of
/// the longer one. What test projects share lives in tests/JobMatch.TestSupport, a class library. (The build inside
/// `dotnet test` still orders them on a 2-core machine, so CI builds first and runs `dotnet test --no-build`.)
/// </summary>
public sealed class TestProjectReferenceTests
{
    private static readonly string TestsRoot = Path.GetFullPath(Path.Combine(Folders.SourceRoot, "../../tests"));

    [Fact]
    public void TestProjects_ReferenceNoOtherTestProject_SoDotnetTestRunsThemSideBySide()
    {
        var projects = Directory.GetFiles(TestsRoot, "*.csproj", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal))
            .ToDictionary(Path.GetFullPath, f => XDocument.Load(f));
        var testProjects = projects.Where(p => IsTestProject(p.Value)).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        Assert.True(testProjects.Count >= 2, "expected JobMatch.Tests and JobMatch.BrowserTests, found: " + string.Join(", ", testProjects));

        var offenders = (
            from project in testProjects
            from reference in projects[project].Descendants("ProjectReference")
            let target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, (string)reference.Attribute("Include")!))
            where testProjects.Contains(target)
            select $"{Path.GetFileName(project)} references {Path.GetFileName(target)}").ToList();

        Assert.True(offenders.Count == 0,
            "A test project references another test project, so `dotnet test` runs them one after the other; move what they share to " +
            "tests/JobMatch.TestSupport:\n" + string.Join("\n", offenders));
    }

    private static bool IsTestProject(XDocument project) =>
        project.Descendants("IsTestProject").Any(e => string.Equals(e.Value.Trim(), "true", StringComparison.OrdinalIgnoreCase));
}
