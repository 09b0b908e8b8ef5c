using JobMatch.Web;
using JobMatch.Identity;
using JobMatch.Onboarding;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Pages.CaseWork;

/// <summary>The case worker's own agency's people; its lead case worker invites colleagues to it (never to another agency).</summary>
[Authorize(Policy = Policies.CaseWorker)]
internal sealed class TeamModel(Organisations organisations, Invitations invitations) : PageModel
{
    [BindProperty] public string? UserName { get; set; }
    [BindProperty] public string? DisplayName { get; set; }
    [BindProperty] public string? Language { get; set; }
    public IReadOnlyList<Organisations.Person> Staff { get; private set; } = [];
    public bool IsLead { get; private set; }
    public FieldErrors Errors { get; } = new();
    public string? InvitationLink { get; private set; }
    public bool InvitationSent { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostInviteAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (!IsLead) return Forbid();
        var created = await invitations.CreateAsync(User.OrganisationId(), Roles.CaseWorker, UserName, DisplayName, lead: false, User.UserId(), Errors, ct, Language);
        (InvitationSent, InvitationLink) = InvitationAnswer.Show(this, created, Errors);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Staff = await organisations.StaffAsync(User.OrganisationId(), ct);
        IsLead = await organisations.IsLeadAsync(User.UserId(), ct);
    }
}
