using JobMatch.Web;
using System.Globalization;
using JobMatch.Employers;
using JobMatch.Identity;
using JobMatch.Vacancies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Pages.Register;

/// <summary>
/// A business applies to join: the employer's details, where it is, and a password. On success it is signed in with
/// a generated sign-in name (shown once here) and can draft vacancies; publishing waits for verification.
/// A plain form (no script), antiforgery as every form, rate-limited per address.
/// </summary>
[AllowAnonymous]
[AddressThrottle(RegistrationRateLimit.Name)]
internal sealed class EmployerModel(EmployerRegistration registration, Taxonomy taxonomy, SignInManager<AppUser> signIn, SignInRecord signInRecord) : PageModel
{
    [BindProperty] public EmployerInput Input { get; set; } = new();
    [BindProperty] public string? UpazilaCode { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? ConfirmPassword { get; set; }
    public TaxonomySnapshot Reference { get; private set; } = null!;
    public FieldErrors Errors { get; } = new();
    public EmployerRegistration.Registered? Registered { get; private set; }
    public bool Bangla => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "bn";

    public async Task OnGetAsync(CancellationToken ct)
    {
        Reference = await taxonomy.LoadAsync(ct);
        Input.PreferredLanguage ??= Bangla ? "bn" : "en";
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Reference = await taxonomy.LoadAsync(ct);
        var valid = EmployerValidator.Validate(Input, Reference, Errors);
        var upazila = TextInput.Clean(UpazilaCode);
        if (upazila is null) Errors.Add("upazilaCode", "Required");
        else if (!Reference.UpazilasByCode.ContainsKey(upazila)) Errors.Add("upazilaCode", "UnknownUpazila", upazila);
        Registered = Errors.IsEmpty ? await registration.RegisterAsync(valid!, upazila, Password, ConfirmPassword, Errors, ct) : null;
        if (Registered is null)
        {
            this.ShowErrors<BoardText>(Errors, "Input."); // next to each field, in the user's language
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        await signIn.SignInAsync(Registered.User, isPersistent: false);
        await signInRecord.WriteAsync(Registered.User, ct);
        return Page();
    }
}
