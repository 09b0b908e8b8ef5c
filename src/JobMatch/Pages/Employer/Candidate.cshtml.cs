using JobMatch.Identity;
using JobMatch.Matching;
using JobMatch.MatchingContract;
using JobMatch.Vacancies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Pages.Employer;

/// <summary>
/// One anonymous candidate of the employer's own vacancy: the card, the comparison, invite, and the outcome forms.
/// Name and phone appear only after acceptance while the consent for this employer and vacancy is active.
/// </summary>
[Authorize(Policy = Policies.Employer)]
internal sealed class CandidateModel(ShortlistQueries shortlists, ShortlistViewLimit limit, OutcomeRecorder recorder, Taxonomy taxonomy) : PageModel
{
    public ShortlistQueries.Candidate Candidate { get; private set; } = null!;
    public long VacancyId { get; private set; }
    public IReadOnlyDictionary<string, SkillRef> Skills { get; private set; } = new Dictionary<string, SkillRef>();
    public IReadOnlyList<string> Outcomes { get; private set; } = [];
    public Dictionary<string, string> Errors { get; private set; } = [];
    public string? Message { get; private set; }
    public bool IsError { get; private set; }
    /// <summary>Set when a hire's wage needs the employer's confirmation: the page shows the confirm step.</summary>
    public OutcomeRecorder.WageConcern? Concern { get; private set; }
    [BindProperty] public OutcomeForm Form { get; set; } = new();

    public sealed class OutcomeForm
    {
        public string? Outcome { get; set; }
        public DateOnly? StartDate { get; set; }
        public int? MonthlyWageBdt { get; set; }
        public bool? WrittenContract { get; set; }
        public string? Reason { get; set; }
        public bool Confirmed { get; set; }
        public OutcomeRequest ToRequest() => new(Outcome, StartDate, MonthlyWageBdt, WrittenContract, Reason, Confirmed);
    }

    public async Task<IActionResult> OnGetAsync(long id, string handle, CancellationToken ct)
    {
        if (!await limit.TryViewAsync(User.OrganisationId(), ct)) return StatusCode(StatusCodes.Status429TooManyRequests);
        Message = TempData["Message"] as string;
        return await LoadAsync(id, handle, ct) ?? Page();
    }

    public async Task<IActionResult> OnPostInviteAsync(long id, string handle, CancellationToken ct)
    {
        var vacancy = await shortlists.OwnVacancyAsync(id, User.OrganisationId(), ct);
        if (await LoadAsync(id, handle, ct, vacancy) is { } refused) return refused;
        return await AfterAsync(await recorder.InviteAsync(vacancy!, Candidate.MatchId, User.UserId(), ct), "Invited", id, handle, ct);
    }

    public async Task<IActionResult> OnPostOutcomeAsync(long id, string handle, CancellationToken ct)
    {
        if (await LoadAsync(id, handle, ct) is { } refused) return refused;
        var request = Form.ToRequest();
        var recorded = await recorder.RecordAsync(Candidate.MatchId, request, User.UserId(), ct);
        if (recorded.Errors is { } errors)
        {
            Errors = errors;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        if (recorded.Action == MatchAction.WageNeedsConfirmation)
        {
            Concern = recorded.Concern;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        return await AfterAsync(recorded.Action, "Recorded", id, handle, ct);
    }

    private async Task<IActionResult> AfterAsync(MatchAction action, string done, long id, string handle, CancellationToken ct)
    {
        if (action == MatchAction.NotFound) return NotFound();
        if (action == MatchAction.Done)
        {
            TempData["Message"] = done;
            return Redirect($"/employer/vacancies/{id}/candidates/{Candidate.Card.Handle}");
        }
        (Message, IsError) = ("Refused_" + action, true);
        Response.StatusCode = StatusCodes.Status409Conflict;
        return await LoadAsync(id, handle, ct) ?? Page();
    }

    /// <summary>Loads the card; the result to answer instead when it is not the caller's (404) or the employer is not verified.</summary>
    private async Task<IActionResult?> LoadAsync(long id, string handle, CancellationToken ct, ShortlistQueries.OwnVacancy? vacancy = null)
    {
        vacancy ??= await shortlists.OwnVacancyAsync(id, User.OrganisationId(), ct);
        if (vacancy is null) return NotFound();
        if (!vacancy.EmployerVerified) return Forbid();
        if (await shortlists.CandidateAsync(vacancy, handle, User.UserId(), ct) is not { } candidate) return NotFound();
        Candidate = candidate;
        VacancyId = vacancy.Id;
        Skills = (await taxonomy.LoadAsync(ct)).SkillsByCode;
        Outcomes = OutcomeReasons.EmployerOutcomes.Where(o => MatchStatus.CanMove(candidate.Card.Status, o.Value)).Select(o => o.Key).ToList();
        return null;
    }
}
