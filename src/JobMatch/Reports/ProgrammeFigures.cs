using System.Globalization;

namespace JobMatch.Reports;

/// <summary>
/// Programme figures ready to show: the overall funnel, placements and retention, and the same by sector, upazila,
/// gender and vacancy with small cells suppressed (GBVIMS practice: a count of 1–4 people is not shown, so nobody
/// is recognised by a small number). Where a breakdown would hide exactly one cell of a measure, the next smallest
/// cell is hidden too, or the hidden one could be worked out from the total.
/// </summary>
internal sealed class ProgrammeFigures
{
    public const int SmallCell = 5;
    public static readonly string[] Stages = ["proposed", "shown", "invited", "accepted", "interviewed", "hired"];
    public static readonly int[] RetentionMonths = [1, 3, 6];
    public static readonly string[] Dimensions = ["sector", "upazila", "gender", "vacancy"];

    /// <summary>One line: stage counts and retention (null = suppressed).</summary>
    public sealed class Group
    {
        public string Dimension { get; init; } = "";
        public string Key { get; init; } = "";
        public string Name { get; init; } = "";
        public string? Employer { get; init; }
        public long?[] Stages { get; init; } = [];
        /// <summary>Closed check-ins at 1, 3 and 6 months (the denominators).</summary>
        public long?[] CheckIns { get; init; } = [];
        /// <summary>Share still employed at 1, 3 and 6 months, 0–1; null when suppressed or nothing to count.</summary>
        public double?[] Retention { get; init; } = [];

        public long? Hired => Stages[^1];
    }

    public Group Total { get; }
    public IReadOnlyDictionary<string, IReadOnlyList<Group>> Breakdowns { get; }

    public ProgrammeFigures(IReadOnlyList<ProgrammeQueries.Row> rows, Func<string, string, (string Name, string? Employer)> name)
        : this(rows, suppressTotal: false, name)
    {
    }

    public ProgrammeFigures(IReadOnlyList<ProgrammeQueries.Row> rows, bool suppressTotal, Func<string, string, (string Name, string? Employer)> name)
    {
        var total = rows.SingleOrDefault(r => r.Dimension == "total") ?? new ProgrammeQueries.Row { Dimension = "total" };
        Total = Build(total, ("", null), suppress: suppressTotal);
        Breakdowns = Dimensions.ToDictionary(d => d, d => (IReadOnlyList<Group>)Suppressed(
            rows.Where(r => r.Dimension == d).OrderByDescending(r => r.Proposals).ThenBy(r => r.Key, StringComparer.Ordinal)
                .Select(r => Build(r, name(d, r.Key ?? ""), suppress: true)).ToList()));
    }

    private static Group Build(ProgrammeQueries.Row r, (string Name, string? Employer) name, bool suppress)
    {
        long?[] stages = [r.Proposals, r.Shown, r.Invited, r.Accepted, r.Interviewed, r.Hired];
        long?[] checkIns = [r.Closed1, r.Closed3, r.Closed6];
        long[] kept = [r.Kept1, r.Kept3, r.Kept6];
        if (suppress)
        {
            stages = stages.Select(Small).ToArray();
            checkIns = checkIns.Select(Small).ToArray();
        }
        return new Group
        {
            Dimension = r.Dimension, Key = r.Key ?? "", Name = name.Name, Employer = name.Employer, Stages = stages, CheckIns = checkIns,
            Retention = checkIns.Select((n, i) => n is > 0 ? kept[i] / (double)n : (double?)null).ToArray(),
        };
    }

    private static long? Small(long? n) => n is > 0 and < SmallCell ? null : n;

    /// <summary>Secondary suppression: one hidden cell in a column is not enough when the total is shown.</summary>
    private static List<Group> Suppressed(List<Group> groups)
    {
        for (var i = 0; i < Stages.Length; i++) HideSecond(groups.Select(g => g.Stages).ToList(), i);
        for (var i = 0; i < RetentionMonths.Length; i++)
        {
            HideSecond(groups.Select(g => g.CheckIns).ToList(), i);
            foreach (var g in groups.Where(g => g.CheckIns[i] is null)) g.Retention[i] = null;
        }
        return groups;
    }

    private static void HideSecond(List<long?[]> cells, int column)
    {
        if (cells.Count(c => c[column] is null) != 1) return;
        var next = cells.Where(c => c[column] is > 0).OrderBy(c => c[column]).FirstOrDefault();
        if (next is not null) next[column] = null;
    }

    public static string Cell(long? n) => n is { } v ? v.ToString("N0", CultureInfo.CurrentCulture) : "<" + SmallCell.ToString(CultureInfo.CurrentCulture);

    public static string Percent(double? share) => share is { } s ? s.ToString("P0", CultureInfo.CurrentCulture) : "–";
}
