using System.Text;

namespace JobMatch.Ranking;

/// <summary>
/// A whole CSV file in memory, parsed per RFC 4180: header row, comma separator, fields in double quotes
/// may hold commas, doubled quotes and line breaks. Columns are found by (trimmed, case-insensitive) name,
/// so their order does not matter and unknown columns are ignored. Blank lines are skipped.
/// Written by hand to keep the dependency list short; world files are small.
/// </summary>
internal sealed class CsvTable
{
    private readonly Dictionary<string, int> _columns;

    private CsvTable(string fileName, string[] header, List<CsvRow> rows)
    {
        FileName = fileName;
        Header = header;
        Rows = rows;
        _columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Length; i++)
        {
            _columns.TryAdd(header[i].Trim(), i);
        }
    }

    public string FileName { get; }

    public IReadOnlyList<string> Header { get; }

    public IReadOnlyList<CsvRow> Rows { get; }

    public static CsvTable Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new WorldFormatException($"{path}: file not found.");
        }

        // detectEncodingFromByteOrderMarks drops a UTF-8 BOM, which spreadsheet exports like to add.
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Parse(reader, path);
    }

    public static CsvTable Parse(TextReader reader, string fileName)
    {
        var records = ParseRecords(reader.ReadToEnd(), fileName);
        if (records.Count == 0)
        {
            throw new WorldFormatException($"{fileName}: empty file, expected a header row.");
        }

        var header = records[0].Fields;
        return new CsvTable(fileName, header, records.Skip(1).ToList());
    }

    /// <summary>Index of a column the caller cannot do without; a clear error when it is missing.</summary>
    public int Column(string name) =>
        _columns.TryGetValue(name, out var index)
            ? index
            : throw new WorldFormatException(
                $"{FileName}: missing required column '{name}' (header has: {string.Join(", ", Header)}).");

    public int? OptionalColumn(string name) => _columns.TryGetValue(name, out var index) ? index : null;

    private static List<CsvRow> ParseRecords(string text, string fileName)
    {
        var records = new List<CsvRow>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var inQuotes = false;
        var fieldWasQuoted = false;
        var i = 0;

        void EndField()
        {
            fields.Add(field.ToString());
            field.Clear();
            fieldWasQuoted = false;
        }

        void EndRecord()
        {
            EndField();
            var isBlank = fields.Count == 1 && fields[0].Length == 0;
            if (!isBlank)
            {
                records.Add(new CsvRow([.. fields], recordLine));
            }

            fields.Clear();
        }

        while (i < text.Length)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i += 2;
                        continue;
                    }

                    inQuotes = false;
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }

                    field.Append(c);
                }

                i++;
                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0 && !fieldWasQuoted:
                    inQuotes = true;
                    fieldWasQuoted = true;
                    break;
                case ',':
                    EndField();
                    break;
                case '\r':
                case '\n':
                    EndRecord();
                    if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                    {
                        i++;
                    }

                    line++;
                    recordLine = line;
                    break;
                default:
                    // A stray quote inside an unquoted field, or text after a closing quote, is kept
                    // literally: lenient, as spreadsheet exports sometimes are.
                    field.Append(c);
                    break;
            }

            i++;
        }

        if (inQuotes)
        {
            throw new WorldFormatException($"{fileName} line {recordLine}: a quoted field is never closed.");
        }

        if (field.Length > 0 || fields.Count > 0 || fieldWasQuoted)
        {
            EndRecord();
        }

        return records;
    }
}

/// <summary>One record; <see cref="Line"/> is the physical line it starts on (the header is line 1).</summary>
internal sealed record CsvRow(string[] Fields, int Line)
{
    /// <summary>The field, or "" when the record is shorter than the header.</summary>
    public string this[int column] => column < Fields.Length ? Fields[column] : "";
}

/// <summary>A world file that cannot be read; the message names the file and, where it helps, the line.</summary>
internal sealed class WorldFormatException(string message) : Exception(message);
