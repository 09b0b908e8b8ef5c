using System.Text;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using JobMatch.Csv;

namespace JobMatch.Tests.Csv;

/// <summary>
/// R15: exported cells cannot run as spreadsheet formulas, and any text survives an export and a re-import exactly
/// (apart from the apostrophe added to formula-like cells). The oracle below is written independently of the writer.
/// </summary>
public sealed partial class CsvWriterTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://evil.example\",\"click\")")]
    [InlineData("+1+cmd|' /C calc'!A0")]
    [InlineData("-2+3")]
    [InlineData("@SUM(A1:A9)")]
    [InlineData("|calc")]
    [InlineData("%0A=1")]
    [InlineData("\t=1")]
    [InlineData("\tplain after a tab")]
    [InlineData("\rplain after a carriage return")]
    [InlineData("\0plain after a NUL")]
    [InlineData("   =1")]
    [InlineData("\u00A0\u2003+1")]
    [InlineData("\uFEFF=1")]
    [InlineData("\u200B@x")]
    [InlineData("\u0001\u0002-1")]
    public void Cell_IsPrefixedWithApostrophe_WhenFirstSignificantCharacterIsATrigger(string value)
    {
        Assert.True(CsvWriter.IsFormulaTrigger(value));
        Assert.Equal("'" + value, RoundTrip([[value]])[0][0]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Cox's Bazar")]
    [InlineData("'=already neutral")]
    [InlineData("a=b")]
    [InlineData("১২৩ টাকা")]
    [InlineData(" plain with a leading space")]
    [InlineData("\nstarts with a line feed")]
    [InlineData("2026-01-01")]
    public void Cell_IsUnchanged_WhenNotATrigger(string value)
    {
        Assert.False(CsvWriter.IsFormulaTrigger(value));
        Assert.Equal(value, RoundTrip([[value]])[0][0]);
    }

    [Property(MaxTest = 500)]
    public Property Export_PrefixesApostrophe_ExactlyWhenCellIsATrigger() =>
        Prop.ForAll(CellText.ToArbitrary(), value =>
        {
            var parsed = RoundTrip([[value]]);
            return parsed.Length == 1 && parsed[0].Length == 1
                && parsed[0][0] == (IsTriggerOracle(value) ? "'" + value : value);
        });

    [Property(MaxTest = 300)]
    public Property HostileRows_RoundTrip_ThroughWriterAndReader() =>
        Prop.ForAll(CellText.ArrayOf().Where(cells => cells.Length > 0).ToArbitrary(), cells =>
        {
            var parsed = RoundTrip([cells, cells.Reverse().ToArray()]);
            return parsed.Length == 2
                && parsed[0].SequenceEqual(cells.Select(Expected))
                && parsed[1].SequenceEqual(cells.Reverse().Select(Expected));
        });

    [Fact]
    public void VeryLongHostileCell_RoundTrips()
    {
        var value = string.Concat(Enumerable.Repeat("=\"a\",\r\n'; DROP TABLE seeker;--\u202Eকক্সবাজার\u200B", 300))[..10_000];
        Assert.Equal("'" + value, RoundTrip([[value, "x"]])[0][0]);
    }

    [Fact]
    public void ToUtf8_StartsWithByteOrderMark_AndEndsRowsWithCrLf()
    {
        var bytes = CsvWriter.ToUtf8([["কক্সবাজার", "a,b"]]);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        Assert.Equal("কক্সবাজার,\"a,b\"\r\n", Encoding.UTF8.GetString(bytes[3..]));
    }

    private static string Expected(string value) => IsTriggerOracle(value) ? "'" + value : value;

    private static string[][] RoundTrip(IEnumerable<IEnumerable<string?>> rows)
    {
        using var text = new StringWriter();
        var writer = new CsvWriter(text);
        foreach (var row in rows) writer.WriteRow(row);
        return CsvReader.Read(new StringReader(text.ToString())).Select(r => r.Fields).ToArray();
    }

    /// <summary>The R15 rule written as a regular expression, independently of the writer's loop.</summary>
    private static bool IsTriggerOracle(string value) => TriggerPattern().IsMatch(value);

    [GeneratedRegex(@"\A(?:[\t\r\0]|[\p{Z}\p{Cc}\p{Cf}]*[=+\-@|%])")]
    private static partial Regex TriggerPattern();

    /// <summary>
    /// Strings that try hard: optional invisible or blank prefixes, a trigger or an ordinary first character, then
    /// hostile fragments (quotes, separators, line breaks, SQL, Bangla, right-to-left, zero-width) or arbitrary text.
    /// </summary>
    private static readonly Gen<string> Prefix =
        Gen.Elements("", " ", "\t", "\r", "\0", "\n", "\u00A0", "\uFEFF", "\u200B", "\u200E", "\u0001", "  \uFEFF")
            .ListOf().Resize(3).Select(p => string.Concat(p));

    private static readonly Gen<string> Head = Gen.Elements("=", "+", "-", "@", "|", "%", "a", "১", "'", "\"", ",", "\u202E", "");

    private static readonly Gen<string> Tail =
        Gen.Elements("", "1+1", "\"", "\"\"", ",", "\r\n", "\n", "\r", "'; DROP TABLE seeker; --", "' OR 1=1 --", "কক্সবাজার উখিয়া",
                "مرحبا بالعالم", "\u202Egnp.exe", "\u200B\u200C\u200D\u2060", "\uFEFF", "%s%n", "\\", "\0", "\uD83D\uDE00")
            .ListOf().Resize(6).Select(p => string.Concat(p));

    private static readonly Gen<string> CellText = Gen.OneOf(
        ArbMap.Default.GeneratorFor<NonNull<string>>().Select(s => s.Get),
        from prefix in Prefix
        from head in Head
        from tail in Tail
        select prefix + head + tail);
}
