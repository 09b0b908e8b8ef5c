using JobMatch.Reports;

namespace JobMatch.Tests.Reports;

/// <summary>Small-cell suppression and CSV cell escaping, without a database.</summary>
public sealed class ProgrammeFiguresTests
{
    private static ProgrammeQueries.Row Row(string dimension, string? key, long proposals, long hired, long closed1 = 0, long kept1 = 0) => new()
    {
        Dimension = dimension, Key = key, Proposals = proposals, Shown = proposals, Invited = proposals, Accepted = hired,
        Interviewed = hired, Hired = hired, Closed1 = closed1, Kept1 = kept1,
    };

    private static ProgrammeFigures Figures(params ProgrammeQueries.Row[] rows) => new(rows, (_, key) => (key, null));

    [Fact]
    public void Breakdowns_HideCountsOfOneToFourPeople_ButNotZeroOrTheTotal()
    {
        var figures = Figures(Row("total", null, 20, 3), Row("gender", "F", 12, 3), Row("gender", "M", 4, 0), Row("gender", "X", 4, 0));

        var byGender = figures.Breakdowns["gender"].ToDictionary(g => g.Key);

        Assert.Equal(3, figures.Total.Hired);
        Assert.Null(byGender["M"].Stages[0]);
        Assert.Null(byGender["X"].Stages[0]);
        Assert.Equal(12, byGender["F"].Stages[0]);
        Assert.Null(byGender["F"].Hired);
        Assert.Equal(0, byGender["M"].Hired);
    }

    [Fact]
    public void Breakdowns_HideASecondCell_WhenOnlyOneWouldBeHidden()
    {
        // Without the second cell, 2 could be worked out as 30 - 20 - 8.
        var figures = Figures(Row("total", null, 30, 0), Row("sector", "a", 20, 0), Row("sector", "b", 8, 0), Row("sector", "c", 2, 0));

        var bySector = figures.Breakdowns["sector"].ToDictionary(g => g.Key);

        Assert.Null(bySector["c"].Stages[0]);
        Assert.Null(bySector["b"].Stages[0]);
        Assert.Equal(20, bySector["a"].Stages[0]);
    }

    [Fact]
    public void Retention_IsTheShareStillEmployed_AndHiddenWhenFewerThanFiveCheckinsCount()
    {
        var figures = Figures(Row("total", null, 40, 10, closed1: 9, kept1: 6), Row("upazila", "ukhia", 20, 6, closed1: 5, kept1: 4),
            Row("upazila", "teknaf", 10, 3, closed1: 3, kept1: 1), Row("upazila", "ramu", 10, 1, closed1: 1, kept1: 1));

        var byUpazila = figures.Breakdowns["upazila"].ToDictionary(g => g.Key);

        Assert.Equal(6 / 9.0, figures.Total.Retention[0]!.Value, 6);
        Assert.Equal(0.8, byUpazila["ukhia"].Retention[0]!.Value, 6);
        Assert.Null(byUpazila["teknaf"].Retention[0]);
        Assert.Null(byUpazila["ramu"].Retention[0]);
    }

    [Theory]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("|cmd", "'|cmd")]
    [InlineData("%x", "'%x")]
    [InlineData("\tx", "'\tx")]
    [InlineData("  =x", "'  =x")]
    [InlineData("\u200B=x", "'\u200B=x")]
    [InlineData("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("\rx", "\"'\rx\"")]
    [InlineData("Tailor", "Tailor")]
    [InlineData("দর্জি", "দর্জি")]
    [InlineData("", "\"\"")]
    public void CsvCell_NeutralisesFormulas_AndQuotesPerRfc4180(string value, string expected) =>
        Assert.Equal(expected, ProgrammeCsv.Cell(value));
}
