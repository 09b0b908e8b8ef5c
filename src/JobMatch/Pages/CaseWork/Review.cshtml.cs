using System.Globalization;
using JobMatch.Identity;
using JobMatch.Matching;
using JobMatch.Vacancies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace JobMatch.Pages.CaseWork;

/// <summary>Proposals for the agency's own seekers: approve (the employer then sees the anonymous card) or skip with a reason.</summary>
[Authorize(Policy = Policies.CaseWorker)]
internal sealed class ReviewModel(ReviewQueries review, Taxonomy taxonomy, IOptions<ShortlistOptions> options) : PageModel
{
    public IReadOnlyDictionary<string, SkillRef> Skills { get; private set; } = new Dictionary<string, SkillRef>();
    public ReviewQueries.ReviewPage Proposals { get; private set; } = null!;
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;
    public string? Message { get; private set; }
    public bool IsError { get; private set; }
    public bool Bangla => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "bn";

    public async Task OnGetAsync(CancellationToken ct)
    {
        Message = TempData["Message"] as string;
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostApproveAsync(long matchId, CancellationToken ct) =>
        await AfterAsync(await review.ApproveAsync(User.OrganisationId(), matchId, User.UserId(), ct), "Approved", ct);

    public async Task<IActionResult> OnPostSkipAsync(long matchId, string? reason, CancellationToken ct) =>
        await AfterAsync(await review.SkipAsync(User.OrganisationId(), matchId, reason, User.UserId(), ct), "Skipped", ct);

    private async Task<IActionResult> AfterAsync(MatchAction action, string done, CancellationToken ct)
    {
        if (action == MatchAction.NotFound) return NotFound();
        if (action == MatchAction.Done)
        {
            TempData["Message"] = done;
            return Redirect("/casework/review");
        }
        (Message, IsError) = (action == MatchAction.Invalid ? "Error_Reason" : "Refused_" + action, true);
        Response.StatusCode = action == MatchAction.Invalid ? StatusCodes.Status400BadRequest : StatusCodes.Status409Conflict;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        PageNumber = Math.Max(1, PageNumber);
        Skills = (await taxonomy.LoadAsync(ct)).SkillsByCode;
        Proposals = await review.ListAsync(User.OrganisationId(), PageNumber, options.Value.ShortlistPageSize, User.UserId(), ct);
    }
}
