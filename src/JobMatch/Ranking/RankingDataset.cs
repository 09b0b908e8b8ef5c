namespace JobMatch.Ranking;

/// <summary>
/// A world turned into examples: one per (vacancy, candidate) listed in outcomes.csv or candidates.csv, with
/// features from <see cref="RankingFeatures.Compute"/>. Gender stays outside the examples, in
/// <see cref="WomenRefs"/>, for the fairness figure only.
/// </summary>
/// <param name="SkippedOutcomes">Outcome rows naming a seeker or vacancy the world does not have.</param>
internal sealed record RankingDataset(
    IReadOnlyList<RankingExample> Examples,
    IReadOnlySet<string> WomenRefs,
    int SkippedOutcomes)
{
    public static RankingDataset FromWorld(World world)
    {
        var context = FeatureContext.FromSkills(world.Skills);
        var seekers = new Dictionary<string, WorldSeeker>(StringComparer.Ordinal);
        foreach (var s in world.Seekers)
        {
            seekers[s.SeekerRef] = s;
        }

        var vacancies = new Dictionary<string, WorldVacancy>(StringComparer.Ordinal);
        foreach (var v in world.Vacancies)
        {
            vacancies[v.VacancyRef] = v;
        }

        // A pair listed twice keeps its best outcome (and the position it was shown at with that outcome).
        var labels = new Dictionary<(string Vacancy, string Seeker), int>();
        var shownAt = new Dictionary<(string Vacancy, string Seeker), (int? Position, bool Randomized)>();
        var skipped = 0;
        foreach (var o in world.Outcomes)
        {
            if (!seekers.ContainsKey(o.SeekerRef) || !vacancies.ContainsKey(o.VacancyRef))
            {
                skipped++;
                continue;
            }

            var key = (o.VacancyRef, o.SeekerRef);
            var label = Outcomes.Label(o.Outcome);
            if (!labels.TryGetValue(key, out var best) || label > best || !shownAt.ContainsKey(key))
            {
                shownAt[key] = (o.Position, o.Randomized);
            }

            labels[key] = Math.Max(best, label);
        }

        // Pool candidates with no outcome row were never shown: ranked in evaluation, unlabelled for training.
        var unshown = (world.Candidates ?? [])
            .Where(c => seekers.ContainsKey(c.SeekerRef) && vacancies.ContainsKey(c.VacancyRef))
            .Select(c => (c.VacancyRef, c.SeekerRef))
            .Where(k => !labels.ContainsKey(k))
            .Distinct()
            .ToList();
        var examples = labels
            .Select(p => (Key: p.Key, Label: p.Value, Shown: true))
            .Concat(unshown.Select(k => (Key: k, Label: 0, Shown: false)))
            .OrderBy(p => p.Key.Item1, StringComparer.Ordinal)
            .ThenBy(p => p.Key.Item2, StringComparer.Ordinal)
            .Select(p => new RankingExample(
                p.Key.Item1,
                p.Key.Item2,
                RankingFeatures.Compute(seekers[p.Key.Item2].Profile, vacancies[p.Key.Item1].Profile, context),
                p.Label,
                p.Shown ? shownAt[p.Key].Position : null,
                p.Shown && shownAt[p.Key].Randomized,
                p.Shown))
            .ToList();
        var women = world.Seekers.Where(s => s.Gender == "F").Select(s => s.SeekerRef).ToHashSet(StringComparer.Ordinal);
        return new RankingDataset(examples, women, skipped);
    }

    /// <summary>
    /// Splits vacancy refs into train and test, deterministically from the seed and independent of
    /// their order: each ref gets a stable hash of (seed, ref) and the lowest hashes are the test set.
    /// Both sides get at least one vacancy when there are two or more.
    /// </summary>
    public static (HashSet<string> Train, HashSet<string> Test) SplitVacancies(
        IEnumerable<string> vacancyRefs, double testFraction, int seed)
    {
        var ordered = vacancyRefs
            .Distinct(StringComparer.Ordinal)
            .OrderBy(r => StableHash.Of($"{seed}\u001f{r}"))
            .ThenBy(r => r, StringComparer.Ordinal)
            .ToList();
        var testCount = (int)Math.Round(ordered.Count * testFraction, MidpointRounding.AwayFromZero);
        if (ordered.Count >= 2)
        {
            testCount = Math.Clamp(testCount, 1, ordered.Count - 1);
        }

        return (ordered.Skip(testCount).ToHashSet(StringComparer.Ordinal),
                ordered.Take(testCount).ToHashSet(StringComparer.Ordinal));
    }
}
