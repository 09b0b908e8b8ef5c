using JobMatch.Web;
using System.Globalization;
using JobMatch.Employers;
using JobMatch.Identity;
using JobMatch.Vacancies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Pages.Employer;

/// <summary>The employer's own details, which an admin checks before verifying. Changing what was checked asks for verification again.</summary>
[Authorize(Policy = Policies.Employer)]
internal sealed class ProfileModel(EmployerQueries employers, Taxonomy taxonomy) : PageModel
{
    [BindProperty] public EmployerInput Input { get; set; } = new();
    public EmployerRecord? Employer { get; private set; }
    public TaxonomySnapshot Reference { get; private set; } = null!;
    public FieldErrors Errors { get; } = new();
    public string? Message { get; private set; }
    public bool Bangla => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "bn";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Reference = await taxonomy.LoadAsync(ct);
        Employer = await employers.FindAsync(User.OrganisationId(), ct);
        if (Employer is null) return NotFound();
        Input = new EmployerInput
        {
            Name = Employer.Name, Membership = Employer.Membership, MembershipNumber = Employer.MembershipNumber,
            TradeLicenceNumber = Employer.TradeLicenceNumber, ContactPerson = Employer.ContactPerson, ContactEmail = Employer.ContactEmail,
            ContactPhone = Employer.ContactPhone, Address = Employer.Address, SectorCode = Employer.SectorCode,
            ChargesRecruitmentFee = Employer.ChargesRecruitmentFee, PreferredLanguage = Employer.PreferredLanguage, Version = Employer.Version,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Reference = await taxonomy.LoadAsync(ct);
        Employer = await employers.FindAsync(User.OrganisationId(), ct);
        if (Employer is null) return NotFound();
        var (result, _) = await employers.SaveProfileAsync(Employer.OrganisationId, Input, Errors, ct);
        if (result == SaveResult.Invalid)
        {
            this.ShowErrors<BoardText>(Errors, "Input.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        if (result == SaveResult.Conflict)
        {
            Message = "Conflict";
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }
        TempData["Message"] = "ProfileSaved";
        return Redirect("/employer");
    }
}
