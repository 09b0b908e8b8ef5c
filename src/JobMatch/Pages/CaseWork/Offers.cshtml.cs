using JobMatch.Identity;
using JobMatch.Matching;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Pages.CaseWork;

/// <summary>
/// The caseload's open proposals and offers per seeker; a case worker records an answer for a seeker who has no
/// phone or e-mail (the consent is recorded as 'by_case_worker', by this case worker). Also the retention follow-ups
/// the employer check-ins raised. Another agency's offers are 404.
/// </summary>
[Authorize(Policy = Policies.CaseWorker)]
internal sealed class OffersModel(OfferQueries offers, OfferAnswers answers, CheckinQueries checkins) : PageModel
{
    public IReadOnlyList<IGrouping<string, OfferQueries.Offer>> BySeeker { get; private set; } = [];
    public IReadOnlyList<CheckinQueries.FollowUp> FollowUps { get; private set; } = [];
    [BindProperty(SupportsGet = true)] public bool Recorded { get; set; }
    /// <summary>An OfferText key to show as an error.</summary>
    public string? Message { get; private set; }

    private OfferQueries.Scope Scope => OfferQueries.Scope.Agency(User.OrganisationId());
    private OfferAnswers.Actor Actor => OfferAnswers.Actor.CaseWorker(User.UserId());

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAcceptAsync(long matchId, bool seekerAgreed, CancellationToken ct)
    {
        if (!seekerAgreed)
        {
            if (await offers.FindAsync(matchId, Scope, ct) is null) return NotFound();
            return await FailAsync(StatusCodes.Status400BadRequest, "MustConfirm", ct);
        }
        return await AnswerAsync(matchId, o => answers.AcceptAsync(o, Actor, ct), ct);
    }

    public Task<IActionResult> OnPostDeclineAsync(long matchId, string? reason, CancellationToken ct) =>
        AnswerAsync(matchId, o => answers.DeclineAsync(o, reason, Actor, ct), ct);

    public Task<IActionResult> OnPostWithdrawAsync(long matchId, CancellationToken ct) =>
        AnswerAsync(matchId, o => answers.WithdrawConsentAsync(o, Actor, ct), ct);

    private async Task<IActionResult> AnswerAsync(long matchId, Func<OfferQueries.Offer, Task<OfferAnswers.Result>> answer, CancellationToken ct)
    {
        if (await offers.FindAsync(matchId, Scope, ct) is not { } offer) return NotFound();
        return await answer(offer) switch
        {
            OfferAnswers.Result.Done => Redirect("/casework/offers?recorded=true"),
            OfferAnswers.Result.NotFound => NotFound(),
            OfferAnswers.Result.Invalid => await FailAsync(StatusCodes.Status400BadRequest, "InvalidReason", ct),
            _ => await FailAsync(StatusCodes.Status409Conflict, "AlreadyAnswered", ct),
        };
    }

    private async Task<IActionResult> FailAsync(int status, string message, CancellationToken ct)
    {
        Response.StatusCode = status;
        Message = message;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        BySeeker = (await offers.ListOpenForAgencyAsync(User.OrganisationId(), ct)).GroupBy(o => o.SeekerReference).ToList();
        FollowUps = await checkins.FollowUpsAsync(User.OrganisationId(), ct);
    }
}
