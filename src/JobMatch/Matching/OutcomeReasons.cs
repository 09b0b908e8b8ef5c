using JobMatch.MatchingContract;
namespace JobMatch.Matching;

/// <summary>
/// The fixed lists behind employer outcomes and case-worker skips (structured, like Les emplois de l'inclusion's
/// refusal reasons): codes are stored, labels come from <c>MatchText</c> ("NotSelected_…", "Skip_…").
/// </summary>
internal static class OutcomeReasons
{
    public static readonly string[] NotSelected =
        ["skills_not_sufficient", "position_filled", "candidate_unreachable", "not_available", "wage_not_agreed", "other"];

    public static readonly string[] Skip =
        ["safety_concern", "employer_not_suitable", "job_not_suitable", "seeker_not_ready", "seeker_not_interested", "other"];

    /// <summary>What an employer can record, and the state each one moves the match to.</summary>
    public static readonly Dictionary<string, string> EmployerOutcomes = new(StringComparer.Ordinal)
    {
        ["interviewed"] = MatchStatus.Interviewed,
        ["hired"] = MatchStatus.Hired,
        ["not_selected"] = MatchStatus.NotSelected,
        ["withdrawn"] = MatchStatus.Withdrawn,
    };

    /// <summary>The reason stored when the employer records that the candidate withdrew.</summary>
    public const string CandidateWithdrew = "candidate_withdrew";
}

/// <summary>How an action on a match ended; endpoints and pages turn it into 404, 409 or 400.</summary>
internal enum MatchAction { Done, NotFound, NotAllowed, VacancyNotOpen, NotMatchable, Invalid, WageNeedsConfirmation }

/// <summary>An employer's outcome for a candidate (API body and page form).</summary>
/// <param name="Confirmed">The employer confirms a hire whose wage is below the sector minimum or far below the posted range.</param>
internal sealed record OutcomeRequest(string? Outcome, DateOnly? StartDate, int? MonthlyWageBdt, bool? WrittenContract, string? Reason, bool Confirmed = false);
