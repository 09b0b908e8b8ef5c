using JobMatch.Web;
using Microsoft.Extensions.Localization;

namespace JobMatch.Vacancies;

/// <summary>How a lifecycle outcome answers on the API: 403 for who may not publish, 400 for what may not be published.</summary>
internal static class OutcomeResults
{
    public static IResult ToResult(VacancyOutcome outcome, IStringLocalizer<BoardText> text, string? sectorCode, TaxonomySnapshot? taxonomy) => outcome switch
    {
        VacancyOutcome.NotFound => Results.NotFound(),
        VacancyOutcome.WrongStatus => Results.Problem(title: text["WrongStatus"], statusCode: StatusCodes.Status409Conflict),
        VacancyOutcome.EmployerNotVerified or VacancyOutcome.EmployerSuspended or VacancyOutcome.RecruitmentFee =>
            Results.Problem(title: text[outcome.ToString()], statusCode: StatusCodes.Status403Forbidden),
        VacancyOutcome.ClosingDatePassed or VacancyOutcome.WageBelowFloor => Validation(outcome, text, sectorCode, taxonomy!),
        _ => Results.NoContent(),
    };

    private static IResult Validation(VacancyOutcome outcome, IStringLocalizer<BoardText> text, string? sectorCode, TaxonomySnapshot taxonomy)
    {
        var errors = new FieldErrors();
        PublishRules.AddFieldError(outcome, sectorCode, taxonomy, errors);
        return Results.ValidationProblem(errors.ToDictionary(text));
    }
}
