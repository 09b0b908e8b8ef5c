namespace JobMatch.Ranking;

/// <summary>One ranker's full order of one vacancy's candidates, best first.</summary>
internal sealed record RankedList(string Ranker, string VacancyRef, IReadOnlyList<string> SeekerRefs);

/// <summary>
/// <c>--rankings FILE</c>: every ranker's full order of each test vacancy's candidates (the whole pool of
/// candidates.csv when the world has it) as CSV <c>vacancy_ref,seeker_ref,ranker,rank</c> (rank 1-based), so that
/// anyone can score the rankings against relevance the world itself does not contain.
/// </summary>
internal static class RankingsFile
{
    public static void Write(IEnumerable<RankedList> lists, string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var rows = lists
            .OrderBy(l => l.VacancyRef, StringComparer.Ordinal)
            .ThenBy(l => l.Ranker, StringComparer.Ordinal)
            .SelectMany(l => l.SeekerRefs.Select((s, i) => new[]
            {
                l.VacancyRef, s, l.Ranker, (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            }));
        WorldWriter.WriteFile(directory, Path.GetFileName(path), ["vacancy_ref", "seeker_ref", "ranker", "rank"], rows);
    }

    /// <summary>Reads a rankings file back: (ranker, vacancy) → seeker refs in rank order.</summary>
    public static Dictionary<(string Ranker, string VacancyRef), List<string>> Read(string path)
    {
        var table = CsvTable.Read(path);
        int vacancy = table.Column("vacancy_ref"), seeker = table.Column("seeker_ref"), ranker = table.Column("ranker"),
            rank = table.Column("rank");
        return table.Rows
            .GroupBy(r => (r[ranker], r[vacancy]))
            .ToDictionary(
                g => g.Key,
                g => g.OrderBy(r => int.Parse(r[rank], System.Globalization.CultureInfo.InvariantCulture)).Select(r => r[seeker]).ToList());
    }
}
