using NetArchTest.Rules;

namespace JobMatch.Tests.Architecture;

/// <summary>
/// The design's boundaries as rules over the compiled app (NetArchTest reads every type, signature and method body):
/// case files and decrypted identities are case work only; features never lean on the background-jobs feature; no
/// test seam in production code.
/// </summary>
public sealed class BoundaryTests
{
    /// <summary>What only case work may touch: the case-file reads, the full identity, the key ring.</summary>
    private static readonly string[] CaseWorkOnly = ["JobMatch.Seekers.CaseFileQueries", "JobMatch.Seekers.SeekerIdentities", "JobMatch.Privacy."];

    /// <summary>Code that serves employers, training providers, the ranking, matching or notifications.</summary>
    public static TheoryData<string> OutsideCaseWork =>
    [
        "JobMatch.Employers", "JobMatch.Vacancies", "JobMatch.Pages.Employer", "JobMatch.Pages.Jobs",
        "JobMatch.Training", "JobMatch.Pages.Training", "JobMatch.Ranking", "JobMatch.Matching",
        "JobMatch.Notifications", "JobMatch.Reports",
    ];

    [Theory]
    [MemberData(nameof(OutsideCaseWork))]
    public void Code_ReferencesNoCaseFileQueryOrIdentityDecryption_WhenOutsideCaseWork(string ns)
    {
        var result = CaseWorkRule(ns);

        Assert.True(result.IsSuccessful, $"{ns} references case-work-only types: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    /// <summary>The rule would see a violation: the case-work pages do use these types, and it flags them.</summary>
    [Fact]
    public void CaseWorkRule_FlagsCaseWorkPages_WhichUseTheCaseFile()
    {
        var result = CaseWorkRule("JobMatch.Pages.CaseWork");

        Assert.False(result.IsSuccessful);
        Assert.Contains(result.FailingTypeNames, n => n.Contains("CaseFile", StringComparison.Ordinal));
    }

    [Fact]
    public void Features_DoNotReferenceBackgroundJobsOrHangfire()
    {
        var result = Types.InAssembly(Folders.App).That().ResideInNamespaceStartingWith("JobMatch.")
            .And().DoNotResideInNamespace("JobMatch.BackgroundJobs")
            .ShouldNot().HaveDependencyOnAny("JobMatch.BackgroundJobs", "Hangfire")
            .GetResult();

        Assert.True(result.IsSuccessful, "Features must call BackgroundJobs through an interface they own: " + string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Fact]
    public void Src_NamesNoTestOnlyTypeOrSetting()
    {
        var testTypes = Folders.App.GetTypes().Select(t => t.FullName ?? t.Name)
            .Where(n => n.Contains("Test", StringComparison.Ordinal) || n.Contains("Fake", StringComparison.Ordinal) || n.Contains("Stub", StringComparison.Ordinal));
        var testText = Folders.SourceFiles().Where(f => f.Text.Contains("TestHook", StringComparison.OrdinalIgnoreCase)).Select(f => f.Path);

        Assert.Empty(testTypes);
        Assert.Empty(testText);
    }

    private static TestResult CaseWorkRule(string ns) =>
        Types.InAssembly(Folders.App).That().ResideInNamespace(ns).ShouldNot().HaveDependencyOnAny(CaseWorkOnly).GetResult();
}
