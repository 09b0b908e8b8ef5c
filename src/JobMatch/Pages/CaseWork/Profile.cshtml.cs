using JobMatch.Employers;
using JobMatch.Identity;
using JobMatch.Seekers;
using JobMatch.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Pages.CaseWork;

/// <summary>
/// Profile and do-not-match rules. The form carries the version it was read at; a stale form is refused with a
/// conflict message (409), never saved over someone else's change.
/// </summary>
[Authorize(Policy = Policies.CaseWorker)]
internal sealed class ProfileModel(SeekerQueries seekers, EmployerQueries employers) : PageModel
{
    [BindProperty] public ProfileForm Profile { get; set; } = new();
    [BindProperty] public long Version { get; set; }
    [BindProperty] public string[] BlockedSectors { get; set; } = [];
    [BindProperty] public string[] BlockedUpazilas { get; set; } = [];
    [BindProperty] public Guid[] BlockedEmployerIds { get; set; } = [];
    /// <summary>Employers to choose from by name (ids stay internal).</summary>
    public IReadOnlyList<EmployerChoice> Employers { get; private set; } = [];
    public string Reference { get; private set; } = "";
    public bool Conflict { get; private set; }
    public bool Saved { get; private set; }
    public Dictionary<string, string[]> Errors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string reference, bool saved, CancellationToken ct)
    {
        if (await seekers.FindAsync(reference, User.OrganisationId(), ct) is not { } s) return NotFound();
        Fill(s);
        Saved = saved;
        Employers = await employers.ChoicesAsync(BlockedEmployerIds, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostProfileAsync(string reference, CancellationToken ct)
    {
        if (await seekers.FindAsync(reference, User.OrganisationId(), ct) is not { } s) return NotFound();
        var profile = Profile.ToProfile();
        var saved = await seekers.UpdateProfileAsync(s.Id, Version, profile, User.UserId(), Errors, ct);
        return await AfterSaveAsync(s, saved, ct);
    }

    public async Task<IActionResult> OnPostRulesAsync(string reference, CancellationToken ct)
    {
        if (await seekers.FindAsync(reference, User.OrganisationId(), ct) is not { } s) return NotFound();
        var rules = new DoNotMatchRules
        {
            BlockedSectors = BlockedSectors.Distinct().ToArray(), BlockedUpazilas = BlockedUpazilas.Distinct().ToArray(),
            BlockedEmployerIds = BlockedEmployerIds.Distinct().ToArray(),
        };
        var saved = await seekers.UpdateRulesAsync(s.Id, Version, rules, User.UserId(), Errors, ct);
        return await AfterSaveAsync(s, saved, ct);
    }

    /// <summary>Saved: back to the profile; refused input: 400 with the messages; stale version: 409 with the current values.</summary>
    private async Task<IActionResult> AfterSaveAsync(SeekerRow s, long? saved, CancellationToken ct)
    {
        if (saved is not null) return Redirect($"/casework/seekers/{s.Reference}/profile?saved=true");
        Employers = await employers.ChoicesAsync(BlockedEmployerIds, ct);
        return Refill(s, Errors.Count > 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status409Conflict);
    }

    /// <summary>Shows the form again with what the user typed; on a conflict, with the current version's rules under it.</summary>
    private IActionResult Refill(SeekerRow s, int status)
    {
        Reference = s.Reference;
        Conflict = status == StatusCodes.Status409Conflict;
        if (Conflict) Fill(s);
        else this.ShowErrors(Errors);
        Response.StatusCode = status;
        return Page();
    }

    private void Fill(SeekerRow s)
    {
        Reference = s.Reference;
        Version = s.Version;
        Profile = ProfileForm.From(s.Profile);
        BlockedSectors = s.BlockedSectors;
        BlockedUpazilas = s.BlockedUpazilas;
        BlockedEmployerIds = s.BlockedEmployerIds;
        ModelState.Clear();
    }
}
