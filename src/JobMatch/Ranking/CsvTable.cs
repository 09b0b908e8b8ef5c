using System.Text;
using JobMatch.Csv;

namespace JobMatch.Ranking;

/// <summary>
/// A whole CSV file in memory, parsed by the project's RFC 4180 <see cref="CsvReader"/> (quoted fields may
/// hold commas, doubled quotes and line breaks; blank lines are skipped). Columns are found by (trimmed,
/// case-insensitive) name, so their order does not matter and unknown columns are ignored; a missing
/// column is an error naming the file.
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
        var records = CsvReader.Read(reader).Select(r => new CsvRow(r.Fields, r.Line)).ToList();
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
}

/// <summary>One record; <see cref="Line"/> is the physical line it starts on (the header is line 1).</summary>
internal sealed record CsvRow(string[] Fields, int Line)
{
    /// <summary>The field, or "" when the record is shorter than the header.</summary>
    public string this[int column] => column < Fields.Length ? Fields[column] : "";
}

/// <summary>A world file that cannot be read; the message names the file and, where it helps, the line.</summary>
internal sealed class WorldFormatException(string message) : Exception(message);
