namespace JobMatch.Reports;

/// <summary>
/// A horizontal bar chart drawn on the server as inline SVG (no script, no style attributes: CSP). This class does
/// the arithmetic; Pages/Admin/ProgrammeBarChart.cshtml draws it. A suppressed value has no bar, only its label.
/// </summary>
internal sealed record BarChart(string Id, string Title, IReadOnlyList<BarChart.Bar> Bars)
{
    public sealed record Bar(string Label, double? Value, string Shown);

    public const int Width = 640;
    public const int LabelWidth = 200;
    public const int ValueWidth = 70;
    public const int RowHeight = 28;
    public const int BarHeight = 18;

    public int Height => Math.Max(1, Bars.Count) * RowHeight + 8;

    private double Max => Bars.Select(b => b.Value ?? 0).DefaultIfEmpty(0).Max();

    /// <summary>Bar length in SVG units; 0 for nothing or a suppressed value.</summary>
    public double Length(Bar bar) => Max <= 0 || bar.Value is not > 0 ? 0 : Math.Round(bar.Value.Value / Max * (Width - LabelWidth - ValueWidth), 1);

    public static int Top(int index) => index * RowHeight + 4;
}
