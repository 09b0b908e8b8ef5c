using JobMatch.Employers;
using JobMatch.Web;

namespace JobMatch.Vacancies;

/// <summary>What became of a publish or close of a vacancy (<see cref="VacancyLifecycle"/>), and why not.</summary>
internal enum VacancyOutcome
{
    Done,
    NotFound,
    /// <summary>The vacancy is not in a state that allows this (e.g. publishing an open one).</summary>
    WrongStatus,
    EmployerNotVerified,
    EmployerSuspended,
    RecruitmentFee,
    ClosingDatePassed,
    WageBelowFloor,
}

/// <summary>
/// Who may publish what (SECURITY.md R9, issue 4): only a verified employer that does not charge workers a
/// recruitment fee, and only at or above the sector's monthly wage floor, with a closing date still ahead.
/// </summary>
internal static class PublishRules
{
    public static VacancyOutcome? CheckEmployer(string? status, bool chargesRecruitmentFee) => status switch
    {
        EmployerStatus.Suspended => VacancyOutcome.EmployerSuspended,
        EmployerStatus.Verified when chargesRecruitmentFee => VacancyOutcome.RecruitmentFee,
        EmployerStatus.Verified => null,
        _ => VacancyOutcome.EmployerNotVerified,
    };

    /// <summary>
    /// The sector floor applies to wage jobs and apprenticeships; a self-employment place (supplier, cooperative)
    /// pays no wage, so its stated earnings are not held to it.
    /// </summary>
    public static bool BelowFloor(string kind, int? wageMinBdt, string? sectorCode, TaxonomySnapshot taxonomy) =>
        kind != VacancyKinds.Self && sectorCode is not null
        && taxonomy.SectorsByCode.TryGetValue(sectorCode, out var sector)
        && sector.MinMonthlyWageBdt is { } floor && (wageMinBdt ?? 0) < floor;

    public static int? Floor(string? sectorCode, TaxonomySnapshot taxonomy) =>
        sectorCode is not null && taxonomy.SectorsByCode.TryGetValue(sectorCode, out var s) ? s.MinMonthlyWageBdt : null;

    /// <summary>The field and message for refusals that are about the vacancy's content (answered 400, not 403).</summary>
    public static void AddFieldError(VacancyOutcome outcome, string? sectorCode, TaxonomySnapshot taxonomy, FieldErrors errors)
    {
        if (outcome == VacancyOutcome.WageBelowFloor)
        {
            errors.Add("wageMinBdt", "WageBelowFloor", Floor(sectorCode, taxonomy)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        else if (outcome == VacancyOutcome.ClosingDatePassed)
        {
            errors.Add("closingDate", "ClosingDateInPast");
        }
    }
}
