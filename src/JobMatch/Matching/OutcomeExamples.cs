using Dapper;
using JobMatch.MatchingContract;
using JobMatch.Ranking;
using Npgsql;

namespace JobMatch.Matching;

/// <summary>
/// Training examples from recorded outcomes: every match shown to an employer that reached an outcome (hired 3,
/// interviewed 2, invited/accepted 1, not selected or declined 0; shown on a vacancy that has since closed without the
/// employer acting on it: 0), with features rebuilt from today's profiles through the same feature function serving
/// uses, joined to how it was shown (issue 21): its position (<c>rank</c>), whether the slot was exploratory (the
/// randomized rows examination is estimated from) and the propensity with which it was put on the list. A candidate
/// never shown (still proposed, skipped by a case worker, withdrawn, or never proposed) is unlabelled, not a negative,
/// and is not an example. Gender is read only to compute the fairness figure.
/// </summary>
internal sealed class OutcomeExamples(NpgsqlDataSource db, CandidateQueries candidates, SkillCatalog catalog, TimeProvider time)
{
    private sealed class OutcomeRow
    {
        public long VacancyId { get; set; }
        public long SeekerId { get; set; }
        public string Status { get; set; } = "";
        public string? Gender { get; set; }
        public int Rank { get; set; }
        public bool Exploratory { get; set; }
        public float? Propensity { get; set; }
    }

    public async Task<(IReadOnlyList<RankingExample> Examples, IReadOnlySet<string> WomenRefs)> LoadAsync(CancellationToken ct)
    {
        var context = await catalog.FeatureContextAsync(ct);
        await using var connection = await db.OpenConnectionAsync(ct);
        var outcomes = (await connection.QueryAsync<OutcomeRow>(new CommandDefinition(
            """
            SELECT m.vacancy_id, m.seeker_id, m.status, s.gender, m.rank, m.exploratory, m.propensity
            FROM match m JOIN seeker s ON s.id = m.seeker_id JOIN vacancy v ON v.id = m.vacancy_id
            WHERE m.status IN ('invited', 'accepted', 'declined', 'interviewed', 'hired', 'not_selected')
               OR (m.status = 'shown' AND v.status IN ('filled', 'closed'))
            ORDER BY m.vacancy_id, m.seeker_id
            """, cancellationToken: ct))).ToList();

        var profiles = (await candidates.ProfilesAsync(connection, outcomes.Select(o => o.SeekerId).Distinct().ToArray(), time.GetUtcNow(), ct))
            .ToDictionary(p => p.Row.Id);
        var examples = new List<RankingExample>();
        foreach (var group in outcomes.GroupBy(o => o.VacancyId))
        {
            var vacancy = await candidates.VacancyAsync(connection, group.Key, requireOpen: false, ct);
            if (vacancy is null) continue;
            var vacancyProfile = CandidateQueries.ProfileOf(vacancy);
            foreach (var o in group)
            {
                if (!profiles.TryGetValue(o.SeekerId, out var p)) continue;
                // Shown and left alone until the vacancy closed: looked at (or not) and passed over, like not selected.
                var label = o.Status == MatchStatus.Shown ? 0 : MatchStatus.Label(o.Status);
                if (label is null) continue;
                examples.Add(new RankingExample(group.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), p.Row.Reference,
                    RankingFeatures.Compute(p.Profile, vacancyProfile, context), label.Value,
                    Position: o.Rank, Randomized: o.Exploratory, Shown: true, ShownPropensity: o.Propensity ?? 1.0));
            }
        }
        var women = outcomes.Where(o => o.Gender == "F" && profiles.ContainsKey(o.SeekerId))
            .Select(o => profiles[o.SeekerId].Row.Reference).ToHashSet(StringComparer.Ordinal);
        return (examples, women);
    }
}
