using System.Globalization;
using System.Text;

namespace JobMatch.Training;

/// <summary>
/// The two CSV upload formats with their English and Bangla headers (the parser accepts either, in any order),
/// value parsing that accepts Bangla digits, and the downloadable templates.
/// </summary>
internal static class UploadFormat
{
    public const string Skills = "skills";
    public const string Completions = "completions";

    /// <summary>Column key → accepted headers (English first, then Bangla).</summary>
    public static readonly IReadOnlyDictionary<string, (string Key, string En, string Bn)[]> Columns = new Dictionary<string, (string, string, string)[]>
    {
        [Skills] =
        [
            ("reference", "trainee_number", "প্রশিক্ষণার্থী_নম্বর"),
            ("code", "skill_code", "দক্ষতার_কোড"),
            ("level", "level", "স্তর"),
            ("source", "source", "উৎস"),
            ("date", "certified_on", "সনদের_তারিখ"),
            ("months", "months_experience", "অভিজ্ঞতার_মাস"),
        ],
        [Completions] =
        [
            ("reference", "trainee_number", "প্রশিক্ষণার্থী_নম্বর"),
            ("code", "course_code", "কোর্সের_কোড"),
            ("date", "completed_on", "সমাপ্তির_তারিখ"),
            ("certified", "certified", "সনদপ্রাপ্ত"),
        ],
    };

    /// <summary>The template in English or Bangla headers, with one example row (UTF-8 with BOM, so spreadsheets read Bangla).</summary>
    public static string Template(string kind, bool bangla)
    {
        var columns = Columns[kind];
        var header = string.Join(',', columns.Select(c => bangla ? c.Bn : c.En));
        var example = kind == Skills ? "T-ABC234XY,HOS-004,2,assessed,2025-03-31,6" : "T-ABC234XY,SEW-101,2025-03-31,yes";
        return "\uFEFF" + header + "\r\n" + example + "\r\n";
    }

    /// <summary>Column key → index in the header row, or the header problem.</summary>
    public static (Dictionary<string, int>? Map, string? Error) MapHeader(string kind, string[] header)
    {
        var map = new Dictionary<string, int>();
        for (var i = 0; i < header.Length; i++)
        {
            var name = header[i].Trim().Replace(' ', '_');
            var match = Columns[kind].FirstOrDefault(c => string.Equals(c.En, name, StringComparison.OrdinalIgnoreCase) || c.Bn == name);
            if (match.Key is not null) map[match.Key] = i;
        }
        string[] required = kind == Skills ? ["reference", "code", "level"] : ["reference", "code", "date"];
        var missing = Columns[kind].Where(c => required.Contains(c.Key) && !map.ContainsKey(c.Key)).ToList();
        return missing.Count > 0 ? (null, "missing_columns:" + string.Join(',', missing.Select(c => c.En))) : (map, null);
    }

    public static string AsciiDigits(string text)
    {
        if (text.AsSpan().IndexOfAnyInRange('০', '৯') < 0) return text.Trim();
        var sb = new StringBuilder(text.Length);
        foreach (var c in text.Trim()) sb.Append(c is >= '০' and <= '৯' ? (char)('0' + (c - '০')) : c);
        return sb.ToString();
    }

    /// <summary>How a skill is looked up (case-insensitively): trimmed, single-spaced, NFC (Bangla may arrive decomposed).</summary>
    public static string SkillKey(string text) =>
        IsPlainAscii(text) ? text
            : string.Join(' ', text.Normalize(NormalizationForm.FormC).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>
    /// Printable ASCII with single inner spaces and none at either end: already its own key (NFC leaves ASCII alone).
    /// Codes are, and 100,000-row uploads look up a code per row (issue 18, B1), so this skips three allocations a row.
    /// </summary>
    private static bool IsPlainAscii(string text)
    {
        if (text.Length == 0 || text[0] == ' ' || text[^1] == ' ') return false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is < ' ' or > '~' || (c == ' ' && text[i - 1] == ' ')) return false;
        }
        return true;
    }

    public static bool TryInt(string text, out int value) =>
        int.TryParse(AsciiDigits(text), NumberStyles.None, CultureInfo.InvariantCulture, out value);

    public static bool TryDate(string text, out DateOnly value) =>
        DateOnly.TryParseExact(AsciiDigits(text), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out value);

    public static string? Source(string text)
    {
        var t = text.AsSpan().Trim();
        if (t.Equals("assessed", StringComparison.OrdinalIgnoreCase) || t.SequenceEqual("মূল্যায়িত")) return "assessed";
        if (t.Equals("certified", StringComparison.OrdinalIgnoreCase) || t.SequenceEqual("সনদপ্রাপ্ত")) return "certified";
        return null;
    }

    public static bool? YesNo(string text) => text.Trim().ToLowerInvariant() switch
    {
        "yes" or "y" or "true" or "1" or "হ্যাঁ" => true,
        "no" or "n" or "false" or "0" or "না" or "" => false,
        _ => null,
    };
}
