using System.Globalization;
using System.Text;

namespace JobMatch.Csv;

/// <summary>
/// RFC 4180 writer for exports opened in spreadsheets (R15). A cell that a spreadsheet could run as a formula gets a
/// leading apostrophe: its first significant character (after whitespace, control and invisible format characters,
/// the byte-order mark among them) is one of <c>= + - @ | %</c>, or it starts with a tab, carriage return or NUL.
/// Cells holding a quote, comma, line break, or starting with a byte-order mark are quoted; so are empty cells, so
/// that a one-column row of "" survives the round trip. Lines end with CRLF. The file starts with a UTF-8 byte-order
/// mark by default, without which Excel shows Bangla as mojibake.
/// </summary>
internal sealed class CsvWriter(TextWriter output, bool byteOrderMark = true)
{
    private bool _started;

    public void WriteRow(params IEnumerable<string?> cells)
    {
        if (!_started)
        {
            _started = true;
            if (byteOrderMark) output.Write('\uFEFF');
        }
        var first = true;
        foreach (var cell in cells)
        {
            if (!first) output.Write(',');
            first = false;
            output.Write(Cell(cell));
        }
        output.Write("\r\n");
    }

    public Task FlushAsync() => output.FlushAsync();

    /// <summary>One cell as it appears in the file: neutralised, then quoted if needed.</summary>
    public static string Cell(string? value)
    {
        var text = Neutralise(value ?? "");
        return NeedsQuotes(text) ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }

    /// <summary>The value with a leading apostrophe when a spreadsheet could take it for a formula.</summary>
    public static string Neutralise(string value) => IsFormulaTrigger(value) ? "'" + value : value;

    public static bool IsFormulaTrigger(string value)
    {
        if (value.Length == 0) return false;
        if (value[0] is '\t' or '\r' or '\0') return true;
        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format) continue;
            return c is '=' or '+' or '-' or '@' or '|' or '%';
        }
        return false;
    }

    private static bool NeedsQuotes(string text) =>
        text.Length == 0 || text[0] == '\uFEFF' || text.AsSpan().IndexOfAny("\",\r\n") >= 0;

    /// <summary>A whole export as UTF-8 bytes (with the byte-order mark), for a download response.</summary>
    public static byte[] ToUtf8(IEnumerable<IEnumerable<string?>> rows)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        var writer = new CsvWriter(text);
        foreach (var row in rows) writer.WriteRow(row);
        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text.ToString());
    }
}
