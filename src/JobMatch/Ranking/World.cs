namespace JobMatch.Ranking;

/// <summary>
/// A world (see src/JobMatch/Ranking/README.md): seekers, vacancies and the outcomes of past matches, all in memory.
/// Everything <c>evaluate</c> needs is here, including skill codes our own taxonomy may not know.
/// </summary>
internal sealed record World(
    IReadOnlyList<WorldSkill> Skills,
    IReadOnlyList<WorldSeeker> Seekers,
    IReadOnlyList<WorldVacancy> Vacancies,
    IReadOnlyList<WorldOutcome> Outcomes);

internal sealed record WorldSkill(string Code, string NameEn, string NameBn, string Sector);

/// <summary>
/// Gender and birth year sit beside the <see cref="SeekerProfile"/>, not inside it, so the feature
/// function cannot see them: gender is for the fairness report only.
/// </summary>
internal sealed record WorldSeeker(string SeekerRef, string Upazila, string Gender, int? BirthYear, SeekerProfile Profile);

internal sealed record WorldVacancy(string VacancyRef, string EmployerRef, string Title, string Upazila, int Openings, VacancyProfile Profile);

internal sealed record WorldOutcome(string VacancyRef, string SeekerRef, Outcome Outcome);

internal enum Outcome
{
    NotSelected,
    Declined,
    Shortlisted,
    Interviewed,
    Hired,
}

internal static class Outcomes
{
    /// <summary>Graded relevance used for training and NDCG: hired 3, interviewed 2, shortlisted 1, else 0.</summary>
    public static int Label(Outcome outcome) => outcome switch
    {
        Outcome.Hired => 3,
        Outcome.Interviewed => 2,
        Outcome.Shortlisted => 1,
        _ => 0,
    };

    public static string ToCsv(Outcome outcome) => outcome switch
    {
        Outcome.NotSelected => "not_selected",
        Outcome.Declined => "declined",
        Outcome.Shortlisted => "shortlisted",
        Outcome.Interviewed => "interviewed",
        Outcome.Hired => "hired",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    public static bool TryParse(string text, out Outcome outcome)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "not_selected": outcome = Outcome.NotSelected; return true;
            case "declined": outcome = Outcome.Declined; return true;
            case "shortlisted": outcome = Outcome.Shortlisted; return true;
            case "interviewed": outcome = Outcome.Interviewed; return true;
            case "hired": outcome = Outcome.Hired; return true;
            default: outcome = default; return false;
        }
    }
}
