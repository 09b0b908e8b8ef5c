using JobMatch.Identity;
using JobMatch.Matching;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Pages.Employer;

/// <summary>The employer's retention check-ins, due ones first: still works here, or left (when and why).</summary>
[Authorize(Policy = Policies.Employer)]
internal sealed class CheckinsModel(CheckinQueries checkins, CheckinAnswers answers) : PageModel
{
    public IReadOnlyList<CheckinQueries.Checkin> Checkins { get; private set; } = [];
    [BindProperty(SupportsGet = true)] public bool Saved { get; set; }
    /// <summary>CheckinText keys of the errors of the last post, and the check-in they belong to.</summary>
    public IReadOnlyList<string> Errors { get; private set; } = [];
    public long? ErrorCheckinId { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Checkins = await checkins.ListPendingAsync(User.OrganisationId(), ct);

    public async Task<IActionResult> OnPostStillEmployedAsync(long checkinId, CancellationToken ct)
    {
        if (await checkins.FindAsync(checkinId, User.OrganisationId(), ct) is not { } checkin) return NotFound();
        var (result, errors) = await answers.StillEmployedAsync(checkin, ct);
        return await AfterAsync(checkinId, result, errors, ct);
    }

    public async Task<IActionResult> OnPostLeftAsync(long checkinId, DateOnly? leftOn, string? reason, CancellationToken ct)
    {
        if (await checkins.FindAsync(checkinId, User.OrganisationId(), ct) is not { } checkin) return NotFound();
        var (result, errors) = await answers.LeftAsync(checkin, leftOn, reason, ct);
        return await AfterAsync(checkinId, result, errors, ct);
    }

    private async Task<IActionResult> AfterAsync(long checkinId, CheckinAnswers.Result result, Dictionary<string, string[]> errors, CancellationToken ct)
    {
        if (result == CheckinAnswers.Result.Done) return Redirect("/employer/checkins?saved=true");
        Response.StatusCode = result == CheckinAnswers.Result.Invalid ? StatusCodes.Status400BadRequest : StatusCodes.Status409Conflict;
        ErrorCheckinId = checkinId;
        Errors = result == CheckinAnswers.Result.Conflict
            ? ["AlreadyAnswered"]
            : errors.Keys.Select(k => k switch { "leftOn" => "ErrLeftOn", "reason" => "ErrReason", _ => "NotDueYet" }).ToList();
        Checkins = await checkins.ListPendingAsync(User.OrganisationId(), ct);
        return Page();
    }
}
