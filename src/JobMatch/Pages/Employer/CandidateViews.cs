using System.Globalization;
using JobMatch.Matching;
using JobMatch.Vacancies;

namespace JobMatch.Pages.Employer;

/// <summary>A match explanation with the taxonomy to name its skill codes (shared by the employer and case-worker pages).</summary>
internal sealed record ExplanationView(CardExplanation Explanation, IReadOnlyDictionary<string, SkillRef> Skills)
{
    public static bool Bangla => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "bn";

    public string Names(IEnumerable<string> codes) => string.Join(", ", codes.Select(c =>
        Skills.TryGetValue(c, out var s) ? (Bangla ? s.NameBn : s.NameEn) : c));

    public static string Direction(int direction) => direction >= 0 ? "up" : "down";
}

/// <summary>A candidate card with the vacancy it belongs to (for the links on it).</summary>
internal sealed record CardView(long VacancyId, CandidateCard Card, IReadOnlyDictionary<string, SkillRef> Skills, bool Detail);
