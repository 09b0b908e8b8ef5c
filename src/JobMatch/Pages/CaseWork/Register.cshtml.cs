using JobMatch.Identity;
using JobMatch.Seekers;
using JobMatch.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Pages.CaseWork;

/// <summary>Registration with the person present. A phone number or e-mail already on record warns before registering again.</summary>
[Authorize(Policy = Policies.CaseWorker)]
internal sealed class RegisterModel(SeekerRegistration registration) : PageModel
{
    [BindProperty] public string FullName { get; set; } = "";
    [BindProperty] public string? FirstName { get; set; }
    [BindProperty] public string? Phone { get; set; }
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Address { get; set; }
    [BindProperty] public DateOnly? DateOfBirth { get; set; }
    [BindProperty] public string Language { get; set; } = "bn";
    [BindProperty] public ProfileForm Profile { get; set; } = new();
    [BindProperty] public string? ConsentMethod { get; set; }
    /// <summary>The phone number is confirmed as a second registration (after the warning).</summary>
    [BindProperty] public bool ConfirmDuplicate { get; set; }
    /// <summary>The e-mail is confirmed as a second registration (after its own warning).</summary>
    [BindProperty] public bool ConfirmDuplicateEmail { get; set; }

    public bool Duplicate { get; private set; }
    /// <summary>Which warning to show: DuplicatePhone or DuplicateEmail (SeekerText keys).</summary>
    public string DuplicateWarning { get; private set; } = "DuplicatePhone";
    public string? ExistingReference { get; private set; }
    /// <summary>A SeekerText key: the neutral answer when the number needs the programme admin's check.</summary>
    public string? Notice { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var request = new RegisterSeekerRequest(FullName ?? "", FirstName, Phone, Email, Address, DateOfBirth, Language, Profile.ToProfile(),
            string.IsNullOrEmpty(ConsentMethod) ? null : ConsentMethod, ConfirmDuplicate, ConfirmDuplicateEmail);
        switch (await registration.RegisterAsync(request, User.OrganisationId(), User.UserId(), ct))
        {
            case SeekerRegistration.Registered r:
                return Redirect($"/casework/seekers/{r.Reference}");
            case SeekerRegistration.DuplicatePhone d:
                Duplicate = true;
                ExistingReference = d.ExistingReference;
                return Page();
            case SeekerRegistration.DuplicateEmail d:
                Duplicate = true;
                DuplicateWarning = "DuplicateEmail";
                ExistingReference = d.ExistingReference;
                return Page();
            case SeekerRegistration.NeedsAdminCheck:
                Notice = "CouldNotRegister";
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
            case SeekerRegistration.TooManyChecks:
                Notice = "TooManyChecks";
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                return Page();
            case SeekerRegistration.Invalid i:
                this.ShowErrors(i.Errors);
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            default:
                throw new InvalidOperationException();
        }
    }
}
