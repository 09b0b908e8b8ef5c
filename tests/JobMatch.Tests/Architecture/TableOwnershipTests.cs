using System.Text.RegularExpressions;
using Dapper;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Architecture;

/// <summary>
/// Which folder writes which table. The first folder named is the owner; any other is a deliberate exception with its
/// reason. Every INSERT, UPDATE or DELETE in src must come from a folder listed for its table, and every table of the
/// migrated database must be listed, so a new table gets an owner the day it is created.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class TableOwnershipTests(PostgresFixture database)
{
    public static readonly IReadOnlyDictionary<string, string[]> Writers = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["schemaversions"] = ["Database"],                       // DbUp's journal
        ["app_user"] = ["Identity", "Seekers"],                  // Seekers: a seeker's own sign-in is created with the registration
        ["audit_log"] = ["Audit", "MatchingContract"],           // MatchingContract (Matching's rule): one audit row per match a safety change withdraws, in its transaction
        ["data_protection_key"] = ["Identity"],
        ["throttle_counter"] = ["Identity"],                     // the sign-in throttle's and the registration limit's shared counters (Employers counts through Identity's SharedThrottle)
        ["organisation"] = ["Employers", "Identity", "Onboarding"], // Identity: the demo organisations; Onboarding: agencies and providers
        ["invitation"] = ["Onboarding"],
        ["staff_lead"] = ["Onboarding"],
        ["employer"] = ["Employers", "Vacancies"],               // Vacancies: a draft's pending employer row, and the demo employers of the demo vacancies
        ["vacancy"] = ["Vacancies", "Employers"],                // Employers: suspending an employer closes its open vacancies in one transaction
        ["vacancy_skill"] = ["Vacancies"],
        ["vacancy_event"] = ["Vacancies", "BackgroundJobs"],     // BackgroundJobs: marks an event processed
        ["seeker"] = ["Seekers", "Identity", "Matching"],        // Identity: last sign-in; Matching: availability after a hire
        ["seeker_identity"] = ["Seekers"],
        ["seeker_skill"] = ["Seekers", "Training"],              // Training: certified skills from a provider's upload
        ["consent"] = ["Consent", "Seekers"],                    // Seekers: the consents given at registration, in its transaction
        ["casefile.case_file"] = ["Seekers"],
        ["casefile.case_note"] = ["Seekers"],
        ["enrolment"] = ["Training", "Seekers"],                 // Seekers: erasure ends enrolments
        ["trainee_number"] = ["Training", "Seekers"],            // Seekers: erasure deletes the provider's number
        ["duplicate_check"] = ["Seekers"],
        ["course"] = ["Training"],
        ["course_skill"] = ["Training"],
        ["course_completion"] = ["Training"],
        ["upload"] = ["Training"],
        ["upload_row"] = ["Training", "Seekers"],                // Seekers: erasure deletes staged upload rows naming the seeker
        ["match"] = ["Matching", "MatchingContract", "Notifications"], // MatchingContract: MatchRule withdraws what a safety change forbids, in the caller's transaction; Notifications: the digest marks matches as told to the employer
        ["match_event"] = ["Matching", "MatchingContract"],      // MatchingContract: the history row of a withdrawal by the rule
        ["candidate_view_window"] = ["Matching"],
        ["ranking_model"] = ["Matching"],
        ["retention_checkin"] = ["Matching"],
        ["outbox_message"] = ["Notifications", "Sms", "Seekers"], // Sms: the SMS dispatcher; Seekers: erasure cancels queued messages
        ["sms_answer_code"] = ["Sms"],
        ["encryption_key"] = ["Privacy"],
        ["sector"] = ["Skills"],
        ["skill"] = ["Skills"],
        ["skill_level"] = ["Skills"],
        ["education_level"] = ["Skills"],
        ["upazila"] = ["Skills"],
    };

    [Fact]
    public void EveryWriteInSrc_ComesFromAFolderListedForItsTable()
    {
        var strays = Writes(Folders.SourceFiles().Select(f => (f.Folder, f.Text)))
            .Where(w => !Writers.TryGetValue(w.Table, out var folders) || !folders.Contains(w.Folder))
            .Select(w => $"{w.Folder} writes {w.Table}")
            .Distinct()
            .ToList();

        Assert.Empty(strays);
    }

    [Fact]
    public async Task EveryTableOfTheDatabase_HasAnOwner()
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var tables = await connection.QueryAsync<string>(
            """
            SELECT CASE WHEN table_schema = 'public' THEN table_name ELSE table_schema || '.' || table_name END
            FROM information_schema.tables
            WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema', 'hangfire')
            """);

        Assert.Empty(tables.Where(t => !Writers.ContainsKey(t)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Writes_FindsTheTable_OfInsertUpdateAndDelete()
    {
        var found = Writes([("Reports", "\"\"\"\nINSERT INTO vacancy (x) VALUES (1) ON CONFLICT (id) DO UPDATE SET x = 2;\nSELECT 1 FROM match FOR UPDATE SKIP LOCKED;\nUPDATE casefile.case_note SET x = 1;\ndelete from consent WHERE id = 1\n\"\"\"")]);

        Assert.Equal(["vacancy", "casefile.case_note", "consent"], found.Select(w => w.Table));
    }

    internal static IEnumerable<(string Folder, string Table)> Writes(IEnumerable<(string Folder, string Text)> files) =>
        files.SelectMany(f => WriteStatement().Matches(f.Text).Select(m => (f.Folder, Table: m.Groups[1].Value.ToLowerInvariant())))
            .Where(w => !SqlWords.Contains(w.Table));

    /// <summary>Words that follow UPDATE without naming a table: ON CONFLICT ... DO UPDATE SET, FOR UPDATE SKIP LOCKED, FOR UPDATE OF m.</summary>
    private static readonly HashSet<string> SqlWords = ["set", "of", "skip", "nowait"];

    // "UPDATE ON" is a privilege in a GRANT, not a write.
    [GeneratedRegex(@"\b(?:INSERT\s+INTO|UPDATE(?!\s+ON\b)|DELETE\s+FROM)\s+([a-z_][a-z_0-9]*(?:\.[a-z_][a-z_0-9]*)?)\s", RegexOptions.IgnoreCase)]
    private static partial Regex WriteStatement();
}
