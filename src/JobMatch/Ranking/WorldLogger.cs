namespace JobMatch.Ranking;

/// <summary>How a running platform shows candidates and records what happened, for <see cref="WorldLogger"/>.</summary>
internal sealed record LoggingOptions
{
    /// <summary>Candidates shown per vacancy: the top of the logging ranker's order.</summary>
    public int Shown { get; init; } = 10;

    /// <summary>Share of vacancies whose shown list is put in random order (what propensities are estimated from).</summary>
    public double RandomizedShare { get; init; } = 0.1;

    public int Seed { get; init; } = 1;
}

/// <summary>
/// Turns a full-information world (every candidate of every vacancy has an outcome) into the log a running platform
/// would have: a ranker (the rule ranker, as before any model exists) orders each vacancy's pool, the top
/// <see cref="LoggingOptions.Shown"/> are shown, the employer examines position i with probability 1/i, and only an
/// examined candidate's outcome is what it would have been; the others shown are not selected, and the rest of the
/// pool was never shown and has no outcome row at all. The full world's outcomes are the hidden relevance that only
/// the simulator knows.
/// </summary>
internal static class WorldLogger
{
    public static World Log(World full, LoggingOptions options, IRanker? policy = null)
    {
        policy ??= new RuleRanker();
        var random = new Random(options.Seed);
        var context = FeatureContext.FromSkills(full.Skills);
        var seekers = full.Seekers.ToDictionary(s => s.SeekerRef, StringComparer.Ordinal);
        var vacancies = full.Vacancies.ToDictionary(v => v.VacancyRef, StringComparer.Ordinal);
        var logged = new List<WorldOutcome>();
        var pool = new List<WorldCandidate>();
        foreach (var group in full.Outcomes.GroupBy(o => o.VacancyRef, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var outcomes = group.OrderBy(o => o.SeekerRef, StringComparer.Ordinal).ToList();
            pool.AddRange(outcomes.Select(o => new WorldCandidate(o.VacancyRef, o.SeekerRef)));
            var vacancy = vacancies[group.Key];
            var scores = policy.Score(group.Key, outcomes
                .Select(o => new RankingCandidate(o.SeekerRef, RankingFeatures.Compute(seekers[o.SeekerRef].Profile, vacancy.Profile, context)))
                .ToList());
            var shown = RankingEvaluator.Order(outcomes.Select((o, i) => (o.SeekerRef, scores[i], 0)))
                .Take(options.Shown)
                .Select(r => outcomes.First(o => o.SeekerRef == r.SeekerRef))
                .ToList();
            var randomized = random.NextDouble() < options.RandomizedShare;
            if (randomized)
            {
                shown = shown.OrderBy(_ => random.Next()).ToList();
            }

            for (var i = 0; i < shown.Count; i++)
            {
                var position = i + 1;
                var examined = random.NextDouble() < 1.0 / position;
                logged.Add(shown[i] with
                {
                    Outcome = examined ? shown[i].Outcome : CandidateOutcome.NotSelected,
                    Position = position,
                    Randomized = randomized,
                });
            }
        }

        return full with { Outcomes = logged, Candidates = pool };
    }

    /// <summary>The hidden relevance of a full world as <c>relevance.csv</c>: vacancy_ref, seeker_ref, label.</summary>
    public static void WriteRelevance(World full, string directory) =>
        WorldWriter.WriteFile(directory, "relevance.csv", ["vacancy_ref", "seeker_ref", "label"],
            full.Outcomes.Select(o => new[]
            {
                o.VacancyRef, o.SeekerRef, Outcomes.Label(o.Outcome).ToString(System.Globalization.CultureInfo.InvariantCulture),
            }));
}
