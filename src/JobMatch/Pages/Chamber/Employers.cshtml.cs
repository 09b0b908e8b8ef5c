using JobMatch.Chambers;
using JobMatch.Employers;
using JobMatch.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Pages.Chamber;

/// <summary>The body's members by status; by default those waiting for verification, oldest first.</summary>
[Authorize(Policy = Policies.ChamberAdmin)]
internal sealed class EmployersModel(ChamberQueries chambers) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    public ChamberQueries.Body Body { get; private set; } = null!;
    public IReadOnlyList<EmployerRecord> Employers { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await chambers.BodyAsync(User, ct) is not { } body) return NotFound();
        Body = body;
        Status ??= EmployerStatus.Pending;
        var rows = await chambers.MembersAsync(body, Status == "all" ? null : Status, ct);
        // Waiting for verification means the employer has filled in what the chamber checks.
        Employers = Status == EmployerStatus.Pending ? rows.Where(e => e.HasDetails).ToList() : rows;
        return Page();
    }
}
