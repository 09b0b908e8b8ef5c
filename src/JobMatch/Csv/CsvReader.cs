using System.Text;

namespace JobMatch.Csv;

/// <summary>
/// RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks; a UTF-8 byte-order mark is
/// skipped. Each record carries the line number it started on, so errors can name it.
/// </summary>
internal static class CsvReader
{
    public sealed record Record(int Line, string[] Fields);

    public static IEnumerable<Record> Read(TextReader reader)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var inQuotes = false;
        var fieldStarted = false;
        var first = true;
        int c;
        while ((c = reader.Read()) != -1)
        {
            if (first)
            {
                first = false;
                if (c == '\uFEFF') continue;
            }
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    if (c == '\n') line++;
                    field.Append((char)c);
                }
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0:
                    inQuotes = true;
                    fieldStarted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldStarted = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    if (fieldStarted || field.Length > 0 || fields.Count > 0)
                    {
                        fields.Add(field.ToString());
                        yield return new Record(recordLine, fields.ToArray());
                    }
                    fields.Clear();
                    field.Clear();
                    fieldStarted = false;
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append((char)c);
                    break;
            }
        }
        if (fieldStarted || field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            yield return new Record(recordLine, fields.ToArray());
        }
    }

    /// <summary>Reads a file with a header row into name → value rows (header names are trimmed, case-insensitive).</summary>
    public static IEnumerable<(int Line, IReadOnlyDictionary<string, string> Row)> ReadWithHeader(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        string[]? header = null;
        foreach (var record in Read(reader))
        {
            if (header is null)
            {
                header = record.Fields.Select(h => h.Trim()).ToArray();
                continue;
            }
            var row = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < header.Length; i++)
            {
                row[header[i]] = i < record.Fields.Length ? record.Fields[i] : "";
            }
            yield return (record.Line, row);
        }
    }
}
