using System.Globalization;
using System.Text;

namespace JobMatch.Reports;

/// <summary>
/// The programme figures as CSV (RFC 4180, CRLF, UTF-8 with a byte-order mark so spreadsheets show Bangla).
/// Suppressed cells read "&lt;5". Names come from users (vacancy titles, employer names), so every cell goes through
/// <see cref="Cell"/>, which neutralises spreadsheet formulas (SECURITY.md R15).
/// </summary>
internal static class ProgrammeCsv
{
    public static readonly string[] Header =
    [
        "breakdown", "code", "name", "employer", .. ProgrammeFigures.Stages,
        "checkins_1m", "still_employed_1m_pct", "checkins_3m", "still_employed_3m_pct", "checkins_6m", "still_employed_6m_pct",
    ];

    public static byte[] Write(ProgrammeFigures figures)
    {
        var text = new StringBuilder();
        text.Append('\uFEFF');
        Row(text, Header);
        Row(text, Line("total", figures.Total));
        foreach (var dimension in ProgrammeFigures.Dimensions)
        {
            foreach (var g in figures.Breakdowns[dimension]) Row(text, Line(dimension, g));
        }
        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text.ToString());
    }

    private static IEnumerable<string?> Line(string dimension, ProgrammeFigures.Group g)
    {
        yield return dimension;
        yield return g.Key;
        yield return g.Name;
        yield return g.Employer;
        foreach (var n in g.Stages) yield return Count(n);
        for (var i = 0; i < ProgrammeFigures.RetentionMonths.Length; i++)
        {
            yield return Count(g.CheckIns[i]);
            yield return g.Retention[i] is { } share ? Math.Round(share * 100).ToString(CultureInfo.InvariantCulture) : "";
        }
    }

    private static string Count(long? n) => n?.ToString(CultureInfo.InvariantCulture) ?? "<" + ProgrammeFigures.SmallCell.ToString(CultureInfo.InvariantCulture);

    private static void Row(StringBuilder text, IEnumerable<string?> cells)
    {
        text.AppendJoin(',', cells.Select(Cell));
        text.Append("\r\n");
    }

    /// <summary>One cell, neutralised against spreadsheet formulas and quoted per RFC 4180 by the shared CSV writer.</summary>
    public static string Cell(string? value) => Csv.CsvWriter.Cell(value);
}
