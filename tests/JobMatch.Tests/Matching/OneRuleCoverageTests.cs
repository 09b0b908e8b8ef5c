using JobMatch.MatchingContract;
using System.Text.RegularExpressions;

namespace JobMatch.Tests.Matching;

/// <summary>
/// "One place decides whether a seeker may be shown to an employer" holds only if no query goes around it. This scans
/// every SQL literal in the application: a query that reads the <c>match</c> table must go through the rule's views
/// (<c>employer_candidate</c> or <c>match_rule</c>), unless its file is one of the few that never answer an employer
/// or a training provider (listed with the reason), or the query itself says which other audience it serves with an
/// <c>-- audience:</c> comment. A new employer-facing read path therefore fails here until it uses the view.
/// </summary>
public sealed partial class OneRuleCoverageTests
{
    /// <summary>Files whose match reads serve case work, the seeker, the admin's aggregates or the engine itself.</summary>
    private static readonly Dictionary<string, string> NotEmployerFacing = new(StringComparer.Ordinal)
    {
        ["MatchingContract/MatchRule.cs"] = "the rule itself: withdraws what the views forbid",
        ["Matching/MatchProposer.cs"] = "the engine writing proposals",
        ["Matching/NightlyRematch.cs"] = "the engine writing the nightly proposals (removes what match_rule forbids before commit)",
        ["Matching/CandidateQueries.cs"] = "candidate generation (counts open matches for the congestion cap)",
        ["Matching/MatchWithdrawals.cs"] = "withdraws untouched matches of a closed vacancy",
        ["Matching/MatchTransitions.cs"] = "moves one match; checks the rule before any move towards the employer",
        ["Matching/OutcomeRecorder.cs"] = "marks a hired seeker placed",
        ["Matching/OutcomeExamples.cs"] = "training labels for the ranking model",
        ["Matching/ReviewQueries.cs"] = "case work's review queue (filtered by match_rule) and a seeker's history",
        ["Matching/OfferQueries.cs"] = "the seeker's own offers and the case worker's relay",
        ["Matching/OfferNotifications.cs"] = "messages to the seeker",
        ["Seekers/SeekerQueries.cs"] = "case work's caseload counts",
        ["Reports/ProgrammeQueries.cs"] = "programme figures: counts only",
    };

    [Fact]
    public void EveryMatchRead_GoesThroughTheOneRule_OrNamesItsAudience()
    {
        var root = SourceRoot();
        var files = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .Select(f => (Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllText(f)));

        var violations = Violations(files).ToList();

        Assert.True(violations.Count == 0, "Match reads that bypass employer_candidate/match_rule:\n" + string.Join("\n", violations));
        Assert.All(NotEmployerFacing.Keys, f => Assert.True(File.Exists(Path.Combine(root, f)), $"allow-listed file {f} no longer exists: drop it from the list"));
    }

    [Fact]
    public void Violations_FindsAMatchReadThatBypassesTheRule()
    {
        // The deliberate violation: the shortlist query as it was before the rule existed.
        const string bypass = "class X { const string Sql = \"\"\"\n SELECT m.id FROM match m JOIN seeker s ON s.id = m.seeker_id WHERE m.vacancy_id = @v\n \"\"\"; }";
        const string through = "class X { const string Sql = \"\"\"\n SELECT ec.match_id FROM employer_candidate ec JOIN match m ON m.id = ec.match_id\n \"\"\"; }";
        const string labelled = "class X { const string Sql = \"\"\"\n -- audience: case work\n SELECT m.id FROM match m\n \"\"\"; }";

        Assert.Single(Violations([("Matching/NewEmployerExport.cs", bypass)]));
        Assert.Empty(Violations([("Matching/NewEmployerExport.cs", through), ("Matching/Other.cs", labelled), ("Matching/MatchProposer.cs", bypass)]));
    }

    internal static IEnumerable<string> Violations(IEnumerable<(string File, string Source)> files)
    {
        foreach (var (file, source) in files)
        {
            if (NotEmployerFacing.ContainsKey(file)) continue;
            foreach (Match literal in RawString().Matches(source))
            {
                var sql = literal.Groups[1].Value;
                if (!ReadsMatch().IsMatch(sql)) continue;
                if (sql.Contains("employer_candidate", StringComparison.Ordinal) || sql.Contains("match_rule", StringComparison.Ordinal)) continue;
                if (sql.Contains("-- audience:", StringComparison.Ordinal)) continue;
                var line = source[..literal.Index].Count(c => c == '\n') + 1;
                yield return $"{file}:{line}";
            }
        }
    }

    private static string SourceRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "JobMatch.sln"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("JobMatch.sln not found"), "src", "JobMatch");
    }

    [GeneratedRegex("\"\"\"\\s*\\n([\\s\\S]*?)\"\"\"")]
    private static partial Regex RawString();

    /// <summary>The match table itself (not match_event, match_rule or a column named match_id).</summary>
    [GeneratedRegex(@"\b(FROM|JOIN|UPDATE)\s+match\b(?!_)", RegexOptions.IgnoreCase)]
    private static partial Regex ReadsMatch();
}
