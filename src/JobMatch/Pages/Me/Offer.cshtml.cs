using JobMatch.Identity;
using JobMatch.Matching;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Pages.Me;

/// <summary>
/// One offer: what the job is, what saying yes shares and with whom, and the answers (accept, decline with an
/// optional reason, take back consent). Another seeker's offer is 404.
/// </summary>
[Authorize(Policy = Policies.JobSeeker)]
internal sealed class OfferModel(OfferQueries offers, OfferAnswers answers) : PageModel
{
    public OfferQueries.Offer Offer { get; private set; } = null!;
    /// <summary>An OfferText key to show as an error.</summary>
    public string? Message { get; private set; }

    private OfferQueries.Scope Scope => OfferQueries.Scope.Seeker(User.UserId());
    private OfferAnswers.Actor Actor => OfferAnswers.Actor.Seeker(User.UserId());

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        if (await offers.FindAsync(id, Scope, ct) is not { } offer) return NotFound();
        Offer = offer;
        return Page();
    }

    public Task<IActionResult> OnPostAcceptAsync(long id, CancellationToken ct) =>
        AnswerAsync(id, "accepted", o => answers.AcceptAsync(o, Actor, ct), ct);

    public Task<IActionResult> OnPostDeclineAsync(long id, string? reason, CancellationToken ct) =>
        AnswerAsync(id, "declined", o => answers.DeclineAsync(o, reason, Actor, ct), ct);

    public Task<IActionResult> OnPostWithdrawAsync(long id, CancellationToken ct) =>
        AnswerAsync(id, "withdrawn", o => answers.WithdrawConsentAsync(o, Actor, ct), ct);

    private async Task<IActionResult> AnswerAsync(long id, string done, Func<OfferQueries.Offer, Task<OfferAnswers.Result>> answer, CancellationToken ct)
    {
        if (await offers.FindAsync(id, Scope, ct) is not { } offer) return NotFound();
        var result = await answer(offer);
        if (result == OfferAnswers.Result.Done) return Redirect($"/me/offers?done={done}");
        if (result == OfferAnswers.Result.NotFound) return NotFound();
        Response.StatusCode = result == OfferAnswers.Result.Invalid ? StatusCodes.Status400BadRequest : StatusCodes.Status409Conflict;
        Message = result == OfferAnswers.Result.Invalid ? "InvalidReason" : "AlreadyAnswered";
        Offer = await offers.FindAsync(id, Scope, ct) ?? offer;
        return Page();
    }
}
