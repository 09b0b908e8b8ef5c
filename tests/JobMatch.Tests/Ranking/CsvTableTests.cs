using System.Text;
using JobMatch.Ranking;

namespace JobMatch.Tests.Ranking;

public sealed class CsvTableTests
{
    [Fact]
    public void Parse_ReadsQuotedCommasDoubledQuotesAndLineBreaks()
    {
        var table = Parse("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\nplain,,last\n");

        Assert.Equal(["a", "b", "c"], table.Header);
        Assert.Equal(2, table.Rows.Count);
        Assert.Equal(["x, y", "say \"hi\"", "two\nlines"], table.Rows[0].Fields);
        Assert.Equal(["plain", "", "last"], table.Rows[1].Fields);
    }

    [Fact]
    public void Parse_CountsPhysicalLines_WhenAFieldSpansLines()
    {
        var table = Parse("a,b\n\"1\n2\n3\",x\ny,z\n");

        Assert.Equal(2, table.Rows[0].Line);
        Assert.Equal(5, table.Rows[1].Line);
    }

    [Fact]
    public void Parse_SkipsBlankLinesAndReadsLastRowWithoutNewline()
    {
        var table = Parse("a,b\n\n1,2\n\n3,4");

        Assert.Equal(2, table.Rows.Count);
        Assert.Equal(["3", "4"], table.Rows[1].Fields);
    }

    [Fact]
    public void Column_FindsByNameIgnoringCaseAndSpaces_AndNamesTheFile_WhenMissing()
    {
        var table = Parse(" Seeker_Ref ,level\n1,2\n");

        Assert.Equal(0, table.Column("seeker_ref"));
        Assert.Null(table.OptionalColumn("gender"));
        var error = Assert.Throws<WorldFormatException>(() => table.Column("gender"));
        Assert.Contains("t.csv", error.Message);
        Assert.Contains("gender", error.Message);
    }

    [Fact]
    public void Read_DropsUtf8ByteOrderMark()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bom-{Guid.NewGuid():N}.csv");
        try
        {
            File.WriteAllText(path, "code,sector\nA,b\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

            var table = CsvTable.Read(path);

            Assert.Equal("code", table.Header[0]);
            Assert.Equal(0, table.Column("code"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData(" edge", "\" edge\"")]
    public void Quote_QuotesOnlyWhenNeeded_AndRoundTrips(string field, string expected)
    {
        Assert.Equal(expected, WorldWriter.Quote(field));
        Assert.Equal(field, Parse($"h\n{WorldWriter.Quote(field)}\n").Rows[0][0]);
    }

    private static CsvTable Parse(string text) => CsvTable.Parse(new StringReader(text), "t.csv");
}
