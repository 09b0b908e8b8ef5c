using JobMatch.Employers;
using JobMatch.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Pages.Admin;

/// <summary>Employers by status; by default those waiting for verification, oldest first.</summary>
[Authorize(Policy = Policies.Admin)]
internal sealed class EmployersModel(EmployerQueries employers) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    public IReadOnlyList<EmployerRecord> Employers { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Status ??= EmployerStatus.Pending;
        var rows = await employers.ListAsync(Status == "all" ? null : Status, ct);
        // Waiting for verification means the employer has filled in what the admin checks.
        Employers = Status == EmployerStatus.Pending ? rows.Where(e => e.HasDetails).ToList() : rows;
    }
}
