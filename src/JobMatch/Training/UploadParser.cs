using JobMatch.Csv;

namespace JobMatch.Training;

/// <summary>
/// Turns an uploaded CSV into staged rows, each with its line number and, when bad, the reason. Look-ups are
/// in memory (skill codes, this provider's course codes and enrolled trainees), so 100,000 rows take well under
/// a second; each row goes to the staging table's binary COPY as soon as it is checked (UploadStore).
/// </summary>
internal static class UploadParser
{
    public sealed class StagedRow
    {
        public int Line { get; set; }
        public string? Reference { get; set; }
        public string? Code { get; set; }
        public int? Level { get; set; }
        public string? Source { get; set; }
        public DateOnly? OnDate { get; set; }
        public int? Months { get; set; }
        public bool? Certified { get; set; }
        public string? Error { get; set; }
        public long? SeekerId { get; set; }
        public int? SkillId { get; set; }
        public long? CourseId { get; set; }
    }

    /// <summary>What the rows are checked against.</summary>
    public sealed record Lookups(IReadOnlyDictionary<string, int> Skills, IReadOnlyDictionary<string, long> Courses, IReadOnlyDictionary<string, long> Trainees, DateOnly Today);

    public sealed record Parsed(List<StagedRow> Rows, string? HeaderError);

    /// <param name="staged">Called with each row as soon as it is checked, after a good header: the upload streams rows
    /// into its COPY while the rest of the file is still being parsed.</param>
    public static Parsed Parse(TextReader reader, string kind, Lookups lookups, Action<StagedRow>? staged = null)
    {
        var rows = new List<StagedRow>();
        Dictionary<string, int>? map = null;
        var seen = new Dictionary<(string, string), int>();
        foreach (var record in CsvReader.Read(reader))
        {
            if (map is null)
            {
                var (header, headerError) = UploadFormat.MapHeader(kind, record.Fields);
                if (headerError is not null) return new Parsed(rows, headerError);
                map = header;
                continue;
            }
            if (record.Fields.All(string.IsNullOrWhiteSpace)) continue;
            string Field(string key) => map!.TryGetValue(key, out var i) && i < record.Fields.Length ? record.Fields[i].Trim() : "";
            var row = new StagedRow { Line = record.Line, Reference = Field("reference").ToUpperInvariant(), Code = Field("code") };
            // Every problem of the row, each with its column and the value found there, so one upload shows all there
            // is to fix. The trainee number is never echoed: it names a person (and an unknown one must not be probed).
            var problems = new List<UploadProblems.Problem>();
            if (row.Reference.Length == 0) problems.Add(new("missing_reference", "reference", null));
            else if (lookups.Trainees.TryGetValue(row.Reference, out var seekerId)) row.SeekerId = seekerId;
            else problems.Add(new("not_enrolled", "reference", null)); // also for unknown references: no way to probe who exists
            if (kind == UploadFormat.Skills) SkillRow(row, Field, lookups, problems);
            else CompletionRow(row, Field, lookups, problems);
            if (row.SeekerId is not null && (row.SkillId ?? row.CourseId) is not null && !seen.TryAdd((row.Reference, row.Code), row.Line))
            {
                problems.Add(new($"duplicate_of_line:{seen[(row.Reference, row.Code)]}", "code", row.Code));
            }
            row.Error = UploadProblems.Format(problems);
            rows.Add(row);
            staged?.Invoke(row);
        }
        return new Parsed(rows, map is null ? "empty_file" : null);
    }

    private static void SkillRow(StagedRow row, Func<string, string> field, Lookups lookups, List<UploadProblems.Problem> problems)
    {
        // The code in any case, or the skill's whole English or Bangla name (trainers know skills by name).
        if (lookups.Skills.TryGetValue(UploadFormat.SkillKey(row.Code!), out var skillId)) row.SkillId = skillId;
        else problems.Add(new("unknown_skill_code", "code", row.Code));
        var levelText = field("level");
        if (!UploadFormat.TryInt(levelText, out var level)) problems.Add(new("level_not_a_number", "level", levelText));
        else if (level is < 1 or > 4) problems.Add(new("level_out_of_range", "level", levelText));
        else row.Level = level;
        var sourceText = field("source");
        row.Source = sourceText.Length == 0 ? "assessed" : UploadFormat.Source(sourceText);
        if (row.Source is null) problems.Add(new("unknown_source", "source", sourceText));
        var dateText = field("date");
        if (dateText.Length > 0)
        {
            if (!UploadFormat.TryDate(dateText, out var on)) problems.Add(new("malformed_date", "date", dateText));
            else if (on > lookups.Today) problems.Add(new("date_in_future", "date", dateText));
            else row.OnDate = on;
        }
        else if (row.Source == "certified") problems.Add(new("certificate_needs_date", "date", null));
        var monthsText = field("months");
        if (monthsText.Length > 0)
        {
            if (!UploadFormat.TryInt(monthsText, out var months) || months > 720) problems.Add(new("months_out_of_range", "months", monthsText));
            else row.Months = months;
        }
    }

    private static void CompletionRow(StagedRow row, Func<string, string> field, Lookups lookups, List<UploadProblems.Problem> problems)
    {
        if (lookups.Courses.TryGetValue(row.Code!, out var courseId)) row.CourseId = courseId;
        else problems.Add(new("unknown_course_code", "code", row.Code));
        var dateText = field("date");
        if (!UploadFormat.TryDate(dateText, out var on)) problems.Add(new("malformed_date", "date", dateText));
        else if (on > lookups.Today) problems.Add(new("date_in_future", "date", dateText));
        else row.OnDate = on;
        var certifiedText = field("certified");
        row.Certified = UploadFormat.YesNo(certifiedText);
        if (row.Certified is null) problems.Add(new("certified_not_yes_or_no", "certified", certifiedText));
    }
}
