using JobMatch.Web;
using System.Globalization;
using JobMatch.Chambers;
using JobMatch.Employers;
using JobMatch.Identity;
using JobMatch.Vacancies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Pages.Chamber;

/// <summary>One member of the body: details, vacancies, and Verify / Suspend (with a reason) / Reinstate. Another body's employer: 404.</summary>
[Authorize(Policy = Policies.ChamberAdmin)]
internal sealed class EmployerModel(ChamberQueries chambers, ChamberVetting vetting, Taxonomy taxonomy) : EmployerVettingPageModel(taxonomy)
{
    public IReadOnlyList<ChamberQueries.MemberVacancy> Vacancies { get; private set; } = [];

    public Task<IActionResult> OnPostVerifyAsync(Guid id, CancellationToken ct) =>
        DecideAsync(id, body => vetting.VerifyAsync(body, id, User.UserId(), ct), "EmployerVerified");

    public Task<IActionResult> OnPostReinstateAsync(Guid id, CancellationToken ct) =>
        DecideAsync(id, body => vetting.ReinstateAsync(body, id, User.UserId(), ct), "EmployerReinstated");

    public Task<IActionResult> OnPostSuspendAsync(Guid id, CancellationToken ct) =>
        SuspendWithReasonAsync(id, reason => DecideAsync(id, body => vetting.SuspendAsync(body, id, reason, User.UserId(), ct), "EmployerSuspendedDone"), ct);

    private async Task<IActionResult> DecideAsync(Guid id, Func<ChamberQueries.Body, Task<ChamberVetting.Result>> decide, string message)
    {
        if (await chambers.BodyAsync(User, HttpContext.RequestAborted) is not { } body) return NotFound();
        switch (await decide(body))
        {
            case ChamberVetting.Result.NotFound:
                return NotFound();
            case ChamberVetting.Result.Done:
                TempData["Message"] = message;
                break;
        }
        return Redirect($"/chamber/employers/{id}");
    }

    /// <summary>Only a member of the caller's body, shown with its vacancies.</summary>
    protected override async Task<EmployerRecord?> FindAsync(Guid id, CancellationToken ct)
    {
        if (await chambers.BodyAsync(User, ct) is not { } body || await chambers.MemberAsync(body, id, ct) is not { } employer) return null;
        Vacancies = await chambers.VacanciesAsync(id, ct);
        return employer;
    }
}
