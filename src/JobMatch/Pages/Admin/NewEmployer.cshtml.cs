using JobMatch.Web;
using System.Globalization;
using JobMatch.Employers;
using JobMatch.Identity;
using JobMatch.Vacancies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Pages.Admin;

/// <summary>An admin registers an employer and its first account; the one-time password is shown once, here.</summary>
[Authorize(Policy = Policies.Admin)]
internal sealed class NewEmployerModel(EmployerAccounts accounts, Taxonomy taxonomy) : PageModel
{
    [BindProperty] public EmployerInput Input { get; set; } = new();
    [BindProperty] public string? UserName { get; set; }
    public TaxonomySnapshot Reference { get; private set; } = null!;
    public FieldErrors Errors { get; } = new();
    public EmployerAccounts.Created? Created { get; private set; }
    public bool Bangla => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "bn";

    public async Task OnGetAsync(CancellationToken ct) => Reference = await taxonomy.LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Reference = await taxonomy.LoadAsync(ct);
        Created = await accounts.CreateAsync(Input, UserName, Errors, ct);
        if (Created is null)
        {
            this.ShowErrors<BoardText>(Errors, "Input.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        return Page();
    }
}
