using JobMatch.Identity;
using JobMatch.Training;
using JobMatch.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Pages.Training;

/// <summary>The provider's own trainees: trainee number, first name and skills; a skill record can be added for one.</summary>
[Authorize(Policy = Policies.TrainingProvider)]
internal sealed class IndexModel(TraineeQueries trainees, JobMatch.Seekers.SeekerSkills skills) : PageModel
{
    public IReadOnlyList<TraineeQueries.Trainee> Trainees { get; private set; } = [];
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;
    public Dictionary<string, string[]> Errors { get; private set; } = [];
    /// <summary>The trainee the skill form is for: from a card's link, or the one chosen when a POST failed.</summary>
    [BindProperty(SupportsGet = true, Name = "trainee")] public string? Trainee { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        PageNumber = Math.Max(1, PageNumber);
        Trainees = await trainees.ListAsync(User.OrganisationId(), PageNumber, ct);
    }

    public async Task<IActionResult> OnPostSkillAsync(string? trainee, string skillCode, int level, string source, DateOnly? certifiedOn, int monthsExperience, CancellationToken ct)
    {
        if (await trainees.FindAsync(trainee ?? "", User.OrganisationId(), ct) is not { } seekerId) return NotFound();
        Errors = await skills.UpsertAsync(seekerId, new JobMatch.Seekers.SeekerSkills.Write((skillCode ?? "").Trim(), level, source ?? "", certifiedOn, monthsExperience, User.OrganisationId()), ct);
        if (Errors.Count == 0) return Redirect(PageNumber > 1 ? $"/training?p={PageNumber}" : "/training");
        this.ShowErrors(Errors);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await OnGetAsync(ct);
        return Page();
    }
}
