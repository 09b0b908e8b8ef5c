using System.Globalization;

namespace JobMatch.Pages.Jobs;

/// <summary>Money and dates as the reader's language writes them.</summary>
internal static class Format
{
    public static string Wage(int min, int? max) =>
        max is { } m && m != min ? $"{min.ToString("N0", CultureInfo.CurrentCulture)}–{m.ToString("N0", CultureInfo.CurrentCulture)}" : min.ToString("N0", CultureInfo.CurrentCulture);

    public static string Date(DateOnly date) => date.ToString("d MMMM yyyy", CultureInfo.CurrentCulture);
}
