using System.Text;

namespace JobMatch.Training;

/// <summary>
/// The problems of one uploaded row, kept in <c>upload_row.error</c> as one line per problem:
/// <c>reason[:argument]&lt;TAB&gt;column&lt;TAB&gt;value</c>. Rows staged before every problem was kept hold a bare
/// <c>reason[:argument]</c>, read as one problem without column or value.
/// </summary>
internal static class UploadProblems
{
    /// <summary>A value is echoed up to this many characters: enough to recognise it, not a copy of the file.</summary>
    public const int MaxValueLength = 60;

    /// <param name="Reason">The reason key (<c>TrainingText</c> has <c>Reason_…</c>), with an argument after a colon.</param>
    /// <param name="Column">The column key (<see cref="UploadFormat.Columns"/>).</param>
    /// <param name="Value">The offending value as found; null where it must not be shown (the trainee number) or is empty.</param>
    public sealed record Problem(string Reason, string Column, string? Value);

    public static string? Format(IReadOnlyList<Problem> problems) =>
        problems.Count == 0 ? null : string.Join('\n', problems.Select(p => $"{p.Reason}\t{p.Column}\t{Clip(p.Value)}"));

    public static IEnumerable<UploadStore.RowError> Parse(int line, string error)
    {
        foreach (var text in error.Split('\n'))
        {
            var parts = text.Split('\t');
            yield return new UploadStore.RowError(line, parts[0], parts.Length > 1 ? parts[1] : null, parts.Length > 2 && parts[2].Length > 0 ? parts[2] : null);
        }
    }

    /// <summary>One line, no tabs, at most <see cref="MaxValueLength"/> characters (a quoted CSV field may hold line breaks).</summary>
    private static string Clip(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        var sb = new StringBuilder(Math.Min(value.Length, MaxValueLength + 1));
        foreach (var c in value)
        {
            if (sb.Length == MaxValueLength) return sb.Append('…').ToString();
            sb.Append(char.IsControl(c) ? ' ' : c);
        }
        return sb.ToString();
    }
}
