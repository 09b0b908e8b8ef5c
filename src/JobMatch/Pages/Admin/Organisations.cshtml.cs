using JobMatch.Web;
using JobMatch.Identity;
using JobMatch.Onboarding;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Pages.Admin;

/// <summary>Case agencies, training providers and membership bodies; a new agency or provider is one form away.</summary>
[Authorize(Policy = Policies.Admin)]
internal sealed class OrganisationsModel(Organisations organisations) : PageModel
{
    [BindProperty] public string? Kind { get; set; }
    [BindProperty] public string? Name { get; set; }
    public IReadOnlyList<Organisations.Summary> All { get; private set; } = [];
    public FieldErrors Errors { get; } = new();

    public async Task OnGetAsync(CancellationToken ct) => All = await organisations.ListAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        var name = TextInput.Clean(Name);
        if (Kind is null || !Organisations.Creatable.Contains(Kind)) Errors.Add("kind", "Required");
        if (name is null) Errors.Add("name", "Required");
        else if (name.Length > 200) Errors.Add("name", "TooLong");
        if (!Errors.IsEmpty)
        {
            // Next to each field with aria-invalid/aria-describedby (the field tag helper), in the user's language.
            this.ShowErrors<JobMatch.Vacancies.BoardText>(Errors);
            All = await organisations.ListAsync(ct);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var id = await organisations.CreateAsync(Kind!, name!, User.UserId(), ct);
        return Redirect($"/admin/organisations/{id}");
    }
}
