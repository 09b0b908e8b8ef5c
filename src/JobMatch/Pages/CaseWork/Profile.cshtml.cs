using JobMatch.Identity;
using JobMatch.Seekers;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Npgsql;

namespace JobMatch.Pages.CaseWork;

/// <summary>
/// Profile and do-not-match rules. The form carries the version it was read at; a stale form is refused with a
/// conflict message (409), never saved over someone else's change.
/// </summary>
[Authorize(Policy = Policies.CaseWorker)]
internal sealed class ProfileModel(SeekerQueries seekers, NpgsqlDataSource db) : PageModel
{
    [BindProperty] public ProfileForm Profile { get; set; } = new();
    [BindProperty] public long Version { get; set; }
    [BindProperty] public string? BlockedSectors { get; set; }
    [BindProperty] public string? BlockedUpazilas { get; set; }
    [BindProperty] public string? BlockedEmployerIds { get; set; }
    public string Reference { get; private set; } = "";
    public bool Conflict { get; private set; }
    public bool Saved { get; private set; }
    public Dictionary<string, string[]> Errors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string reference, bool saved, CancellationToken ct)
    {
        if (await seekers.FindAsync(reference, User.OrganisationId(), ct) is not { } s) return NotFound();
        Fill(s);
        Saved = saved;
        return Page();
    }

    public async Task<IActionResult> OnPostProfileAsync(string reference, CancellationToken ct)
    {
        if (await seekers.FindAsync(reference, User.OrganisationId(), ct) is not { } s) return NotFound();
        var profile = Profile.ToProfile();
        await using (var connection = await db.OpenConnectionAsync(ct)) await SeekerValidation.ProfileAsync(connection, profile, Errors, ct);
        if (Errors.Count > 0) return Refill(s, StatusCodes.Status400BadRequest);
        return await seekers.UpdateProfileAsync(s.Id, Version, profile, User.UserId(), ct) is null ? Refill(s, StatusCodes.Status409Conflict) : Redirect($"/casework/seekers/{s.Reference}/profile?saved=true");
    }

    public async Task<IActionResult> OnPostRulesAsync(string reference, CancellationToken ct)
    {
        if (await seekers.FindAsync(reference, User.OrganisationId(), ct) is not { } s) return NotFound();
        var employerIds = ProfileForm.Split(BlockedEmployerIds);
        var rules = new DoNotMatchRules
        {
            BlockedSectors = ProfileForm.Split(BlockedSectors), BlockedUpazilas = ProfileForm.Split(BlockedUpazilas),
            BlockedEmployerIds = employerIds.Select(e => Guid.TryParse(e, out var g) ? g : Guid.Empty).ToArray(),
        };
        await using (var connection = await db.OpenConnectionAsync(ct)) await SeekerValidation.RulesAsync(connection, rules, Errors, ct);
        if (Errors.Count > 0) return Refill(s, StatusCodes.Status400BadRequest);
        return await seekers.UpdateRulesAsync(s.Id, Version, rules, User.UserId(), ct) is null ? Refill(s, StatusCodes.Status409Conflict) : Redirect($"/casework/seekers/{s.Reference}/profile?saved=true");
    }

    /// <summary>Shows the form again with what the user typed; on a conflict, with the current version's rules under it.</summary>
    private IActionResult Refill(SeekerRow s, int status)
    {
        Reference = s.Reference;
        Conflict = status == StatusCodes.Status409Conflict;
        if (Conflict) Fill(s);
        Response.StatusCode = status;
        return Page();
    }

    private void Fill(SeekerRow s)
    {
        Reference = s.Reference;
        Version = s.Version;
        Profile = ProfileForm.From(s.Profile);
        BlockedSectors = string.Join(", ", s.BlockedSectors);
        BlockedUpazilas = string.Join(", ", s.BlockedUpazilas);
        BlockedEmployerIds = string.Join(", ", s.BlockedEmployerIds);
        ModelState.Clear();
    }
}
