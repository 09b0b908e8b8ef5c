using JobMatch.Web;
using JobMatch.Identity;
using JobMatch.Onboarding;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Pages.Admin;

/// <summary>One partner organisation: its people (deactivate one), an invitation for a new one, deactivating it all.</summary>
[Authorize(Policy = Policies.Admin)]
internal sealed class OrganisationModel(Organisations organisations, Invitations invitations) : PageModel
{
    [BindProperty] public string? UserName { get; set; }
    [BindProperty] public string? DisplayName { get; set; }
    [BindProperty] public string? Language { get; set; }
    [BindProperty] public bool Lead { get; set; }
    public Organisations.Summary Organisation { get; private set; } = null!;
    public IReadOnlyList<Organisations.Person> Staff { get; private set; } = [];
    public FieldErrors Errors { get; } = new();
    public string? InvitationLink { get; private set; }
    public bool InvitationSent { get; private set; }
    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        Message = TempData["Message"] as string;
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostInviteAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (Organisation.DeactivatedAt is not null) return StatusCode(StatusCodes.Status409Conflict);
        var created = await invitations.CreateAsync(id, Organisations.StaffRole[Organisation.Kind], UserName, DisplayName,
            Lead && Organisation.Kind == "case_agency", User.UserId(), Errors, ct, Language);
        (InvitationSent, InvitationLink) = InvitationAnswer.Show(this, created, Errors);
        return Page();
    }

    public async Task<IActionResult> OnPostDeactivateUserAsync(Guid id, Guid userId, CancellationToken ct)
    {
        if (!await organisations.DeactivateUserAsync(id, userId, User.UserId(), ct)) return NotFound();
        TempData["Message"] = "UserDeactivated";
        return Redirect($"/admin/organisations/{id}");
    }

    public async Task<IActionResult> OnPostDeactivateAsync(Guid id, CancellationToken ct)
    {
        if (await organisations.FindAsync(id, ct) is null) return NotFound();
        await organisations.DeactivateAsync(id, User.UserId(), ct);
        TempData["Message"] = "OrganisationDeactivated";
        return Redirect($"/admin/organisations/{id}");
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await organisations.FindAsync(id, ct) is not { } organisation) return false;
        Organisation = organisation;
        Staff = await organisations.StaffAsync(id, ct);
        return true;
    }
}
