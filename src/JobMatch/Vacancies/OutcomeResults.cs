using JobMatch.Web;
using Microsoft.Extensions.Localization;

namespace JobMatch.Vacancies;

/// <summary>How a lifecycle outcome answers on the API: 403 for who may not publish, 400 for what may not be published.</summary>
internal static class OutcomeResults
{
    public static IResult ToResult(Outcome outcome, IStringLocalizer<BoardText> text, string? sectorCode, TaxonomySnapshot? taxonomy) => outcome switch
    {
        Outcome.NotFound => Results.NotFound(),
        Outcome.WrongStatus => Results.Problem(title: text["WrongStatus"], statusCode: StatusCodes.Status409Conflict),
        Outcome.EmployerNotVerified or Outcome.EmployerSuspended or Outcome.RecruitmentFee =>
            Results.Problem(title: text[outcome.ToString()], statusCode: StatusCodes.Status403Forbidden),
        Outcome.ClosingDatePassed or Outcome.WageBelowFloor => Validation(outcome, text, sectorCode, taxonomy!),
        _ => Results.NoContent(),
    };

    private static IResult Validation(Outcome outcome, IStringLocalizer<BoardText> text, string? sectorCode, TaxonomySnapshot taxonomy)
    {
        var errors = new FieldErrors();
        PublishRules.AddFieldError(outcome, sectorCode, taxonomy, errors);
        return Results.ValidationProblem(errors.ToDictionary(text));
    }
}
