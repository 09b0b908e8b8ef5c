using JobMatch.Vacancies;

namespace JobMatch.Matching;

/// <summary>The vacancy's skills (required first) as rows, candidates as columns: met, below the level, or missing.</summary>
internal static class ShortlistComparison
{
    public const string Met = "met";
    public const string Below = "below";
    public const string Missing = "missing";

    public static Comparison Build(IReadOnlyList<VacancySkillRecord> vacancySkills, IReadOnlyList<ShortlistQueries.Candidate> candidates) =>
        new(candidates.Select(c => c.Card.Handle).ToList(),
            vacancySkills.OrderByDescending(s => s.Required).ThenBy(s => s.Code, StringComparer.Ordinal).Select(s => new ComparisonRow(
                s.Code, s.NameEn, s.NameBn, s.MinLevel, s.Required,
                candidates.Select(c => Cell(c.Card, s)).ToList())).ToList());

    private static ComparisonCell Cell(CandidateCard card, VacancySkillRecord requirement)
    {
        var held = card.Skills.FirstOrDefault(k => k.Code == requirement.Code);
        if (held is null) return new ComparisonCell(Missing, null);
        return new ComparisonCell(held.Level >= requirement.MinLevel ? Met : Below, held.Level);
    }
}
