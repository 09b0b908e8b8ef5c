using System.Text.RegularExpressions;

namespace JobMatch.Tests.Architecture;

/// <summary>
/// The case file (schema casefile: survivor status, referral source, case notes) is named only by the migration that
/// creates it and its grants. A view, function or grant in any other migration that reads it would open it to code
/// outside case work without any C# referencing CaseFileQueries, so the .sql files are scanned too.
/// </summary>
public sealed partial class MigrationScanTests
{
    /// <summary>Migrations of case work itself, allowed to name the schema.</summary>
    private static readonly string[] CaseWorkMigrations = ["0103_create_casefile.sql"];

    [Fact]
    public void Migrations_NameTheCaseFileSchema_OnlyInCaseWorkMigrations()
    {
        var folder = Path.Combine(Folders.SourceRoot, "Database", "Migrations");
        var offenders = Directory.GetFiles(folder, "*.sql")
            .Where(f => !CaseWorkMigrations.Contains(Path.GetFileName(f)) && NamesCaseFile(File.ReadAllText(f)))
            .Select(Path.GetFileName)
            .ToList();

        Assert.Empty(offenders);
        Assert.All(CaseWorkMigrations, m => Assert.True(File.Exists(Path.Combine(folder, m)), m + " is gone: update the list"));
    }

    [Theory]
    [InlineData("CREATE VIEW seeker_flags AS SELECT s.id, f.survivor_status FROM seeker s JOIN casefile.case_file f USING (id);")]
    [InlineData("GRANT SELECT ON ALL TABLES IN SCHEMA CaseFile TO jm_employer_api;")]
    [InlineData("SET search_path = casefile, public;")]
    public void NamesCaseFile_SeesTheSchema_InAnyMigrationText(string sql) => Assert.True(NamesCaseFile(sql));

    [Fact]
    public void NamesCaseFile_IgnoresComments() => Assert.False(NamesCaseFile("-- the casefile schema is not touched here\nSELECT 1;"));

    internal static bool NamesCaseFile(string sql) => CaseFileWord().IsMatch(LineComment().Replace(sql, ""));

    [GeneratedRegex(@"\bcasefile\b", RegexOptions.IgnoreCase)]
    private static partial Regex CaseFileWord();

    [GeneratedRegex(@"--[^\n]*")]
    private static partial Regex LineComment();
}
