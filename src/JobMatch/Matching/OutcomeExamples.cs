using Dapper;
using JobMatch.MatchingContract;
using JobMatch.Ranking;
using Npgsql;

namespace JobMatch.Matching;

/// <summary>
/// Training examples from recorded outcomes: every match that reached an outcome (hired 3, interviewed 2,
/// invited/accepted 1, not selected or declined 0), with features rebuilt from today's profiles through the same
/// feature function serving uses. Gender is read only to compute the fairness figure.
/// </summary>
internal sealed class OutcomeExamples(NpgsqlDataSource db, CandidateQueries candidates, SkillCatalog catalog, TimeProvider time)
{
    private sealed class OutcomeRow
    {
        public long VacancyId { get; set; }
        public long SeekerId { get; set; }
        public string Status { get; set; } = "";
        public string? Gender { get; set; }
    }

    public async Task<(IReadOnlyList<RankingExample> Examples, IReadOnlySet<string> WomenRefs)> LoadAsync(CancellationToken ct)
    {
        var context = await catalog.FeatureContextAsync(ct);
        await using var connection = await db.OpenConnectionAsync(ct);
        var outcomes = (await connection.QueryAsync<OutcomeRow>(new CommandDefinition(
            """
            SELECT m.vacancy_id, m.seeker_id, m.status, s.gender
            FROM match m JOIN seeker s ON s.id = m.seeker_id
            WHERE m.status IN ('invited', 'accepted', 'declined', 'interviewed', 'hired', 'not_selected')
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
                if (!profiles.TryGetValue(o.SeekerId, out var p) || MatchStatus.Label(o.Status) is not { } label) continue;
                examples.Add(new RankingExample(group.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), p.Row.Reference,
                    RankingFeatures.Compute(p.Profile, vacancyProfile, context), label));
            }
        }
        var women = outcomes.Where(o => o.Gender == "F" && profiles.ContainsKey(o.SeekerId))
            .Select(o => profiles[o.SeekerId].Row.Reference).ToHashSet(StringComparer.Ordinal);
        return (examples, women);
    }
}
