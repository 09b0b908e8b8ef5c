using JobMatch.Web;
using System.Globalization;
using JobMatch.Employers;
using JobMatch.Identity;
using JobMatch.Vacancies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Pages.Admin;

/// <summary>One employer's details, with Verify and Suspend (a reason is required; suspension closes its open vacancies).</summary>
[Authorize(Policy = Policies.Admin)]
internal sealed class EmployerModel(EmployerQueries employers, EmployerVetting vetting, Taxonomy taxonomy) : EmployerVettingPageModel(taxonomy)
{
    public async Task<IActionResult> OnPostVerifyAsync(Guid id, CancellationToken ct)
    {
        if (!await vetting.VerifyAsync(id, User.UserId(), ct)) return NotFound();
        TempData["Message"] = "EmployerVerified";
        return Redirect($"/admin/employers/{id}");
    }

    public Task<IActionResult> OnPostSuspendAsync(Guid id, CancellationToken ct) =>
        SuspendWithReasonAsync(id, async reason =>
        {
            if (await vetting.SuspendAsync(id, reason, User.UserId(), ct) is null) return NotFound();
            TempData["Message"] = "EmployerSuspendedDone";
            return Redirect($"/admin/employers/{id}");
        }, ct);

    protected override Task<EmployerRecord?> FindAsync(Guid id, CancellationToken ct) => employers.FindAsync(id, ct);
}
