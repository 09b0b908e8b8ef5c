using JobMatch.Csv;

namespace JobMatch.Training;

/// <summary>
/// Turns an uploaded CSV into staged rows, each with its line number and, when bad, the reason. Look-ups are
/// in memory (skill codes, this provider's course codes and enrolled trainees), so 100,000 rows take well under
/// a second; the result goes to the staging table by binary COPY.
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

    public static Parsed Parse(TextReader reader, string kind, Lookups lookups)
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
            var error = kind == UploadFormat.Skills ? SkillRow(row, Field, lookups) : CompletionRow(row, Field, lookups);
            if (error is null)
            {
                if (lookups.Trainees.TryGetValue(row.Reference, out var seekerId)) row.SeekerId = seekerId;
                else error = "not_enrolled"; // also for unknown references: no way to probe who exists
            }
            if (error is null && !seen.TryAdd((row.Reference, row.Code), row.Line)) error = $"duplicate_of_line:{seen[(row.Reference, row.Code)]}";
            row.Error = error;
            rows.Add(row);
        }
        return new Parsed(rows, map is null ? "empty_file" : null);
    }

    private static string? SkillRow(StagedRow row, Func<string, string> field, Lookups lookups)
    {
        if (row.Reference!.Length == 0) return "missing_reference";
        if (!lookups.Skills.TryGetValue(row.Code!, out var skillId)) return "unknown_skill_code";
        row.SkillId = skillId;
        if (!UploadFormat.TryInt(field("level"), out var level)) return "level_not_a_number";
        if (level is < 1 or > 4) return "level_out_of_range";
        row.Level = level;
        var sourceText = field("source");
        row.Source = sourceText.Length == 0 ? "assessed" : UploadFormat.Source(sourceText);
        if (row.Source is null) return "unknown_source";
        var dateText = field("date");
        if (dateText.Length > 0)
        {
            if (!UploadFormat.TryDate(dateText, out var on)) return "malformed_date";
            if (on > lookups.Today) return "date_in_future";
            row.OnDate = on;
        }
        else if (row.Source == "certified") return "certificate_needs_date";
        var monthsText = field("months");
        if (monthsText.Length > 0)
        {
            if (!UploadFormat.TryInt(monthsText, out var months) || months > 720) return "months_out_of_range";
            row.Months = months;
        }
        return null;
    }

    private static string? CompletionRow(StagedRow row, Func<string, string> field, Lookups lookups)
    {
        if (row.Reference!.Length == 0) return "missing_reference";
        if (!lookups.Courses.TryGetValue(row.Code!, out var courseId)) return "unknown_course_code";
        row.CourseId = courseId;
        if (!UploadFormat.TryDate(field("date"), out var on)) return "malformed_date";
        if (on > lookups.Today) return "date_in_future";
        row.OnDate = on;
        row.Certified = UploadFormat.YesNo(field("certified"));
        return row.Certified is null ? "certified_not_yes_or_no" : null;
    }
}
