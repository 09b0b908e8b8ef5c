using JobMatch.Employers;
using JobMatch.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Pages.Admin;

/// <summary>The admin home: an index of links to the admin pages (features add theirs here).</summary>
[Authorize(Policy = Policies.Admin)]
internal sealed class IndexModel(EmployerQueries employers, Seekers.SeekerRegistration registrations) : PageModel
{
    public int PendingEmployers { get; private set; }
    public IReadOnlyList<Seekers.SeekerRegistration.DuplicateCheck> DuplicateChecks { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        PendingEmployers = (await employers.ListAsync(EmployerStatus.Pending, ct)).Count(e => e.HasDetails);
        DuplicateChecks = await registrations.OpenChecksAsync(ct);
    }
}
