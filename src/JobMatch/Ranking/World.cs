namespace JobMatch.Ranking;

/// <summary>
/// A world (see src/JobMatch/Ranking/README.md): seekers, vacancies and the outcomes of past matches, all in memory.
/// Everything <c>evaluate</c> needs is here, including skill codes our own taxonomy may not know.
/// </summary>
/// <param name="Candidates">The whole candidate pool of each vacancy (optional <c>candidates.csv</c>), shown or not;
/// null when the world has no such file and the pool is whoever <see cref="Outcomes"/> lists.</param>
internal sealed record World(
    IReadOnlyList<WorldSkill> Skills,
    IReadOnlyList<WorldSeeker> Seekers,
    IReadOnlyList<WorldVacancy> Vacancies,
    IReadOnlyList<WorldOutcome> Outcomes,
    IReadOnlyList<WorldCandidate>? Candidates = null)
{
    /// <summary>
    /// A logged world (as a running platform records it): outcomes exist only for candidates that were shown,
    /// at a recorded position. Candidates of the pool without an outcome were never shown: unlabelled, not negatives.
    /// </summary>
    public bool IsLogged => Outcomes.Any(o => o.Position is not null);
}

internal sealed record WorldCandidate(string VacancyRef, string SeekerRef);

internal sealed record WorldSkill(string Code, string NameEn, string NameBn, string Sector);

/// <summary>
/// Gender and birth year sit beside the <see cref="SeekerRankingProfile"/>, not inside it, so the feature
/// function cannot see them: gender is for the fairness report only.
/// </summary>
internal sealed record WorldSeeker(string SeekerRef, string Upazila, string Gender, int? BirthYear, SeekerRankingProfile Profile);

internal sealed record WorldVacancy(string VacancyRef, string EmployerRef, string Title, string Upazila, int Openings, VacancyProfile Profile);

/// <param name="Position">1-based rank at which the candidate was shown; null when not recorded.</param>
/// <param name="Randomized">The list (or this slot) was shown in random order or filled at random for exploration.</param>
internal sealed record WorldOutcome(string VacancyRef, string SeekerRef, CandidateOutcome Outcome, int? Position = null, bool Randomized = false);

/// <summary>What became of a candidate shown for a vacancy in a world (simulated or logged): the training label's source.</summary>
internal enum CandidateOutcome
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
    public static int Label(CandidateOutcome outcome) => outcome switch
    {
        CandidateOutcome.Hired => 3,
        CandidateOutcome.Interviewed => 2,
        CandidateOutcome.Shortlisted => 1,
        _ => 0,
    };

    public static string ToCsv(CandidateOutcome outcome) => outcome switch
    {
        CandidateOutcome.NotSelected => "not_selected",
        CandidateOutcome.Declined => "declined",
        CandidateOutcome.Shortlisted => "shortlisted",
        CandidateOutcome.Interviewed => "interviewed",
        CandidateOutcome.Hired => "hired",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    public static bool TryParse(string text, out CandidateOutcome outcome)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "not_selected": outcome = CandidateOutcome.NotSelected; return true;
            case "declined": outcome = CandidateOutcome.Declined; return true;
            case "shortlisted": outcome = CandidateOutcome.Shortlisted; return true;
            case "interviewed": outcome = CandidateOutcome.Interviewed; return true;
            case "hired": outcome = CandidateOutcome.Hired; return true;
            default: outcome = default; return false;
        }
    }
}
