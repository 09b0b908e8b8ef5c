using JobMatch.Identity;
using JobMatch.Seekers;
using JobMatch.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Pages.CaseWork;

/// <summary>The case file (survivor status, referral source, notes): case workers of the agency only; each view audited.</summary>
[Authorize(Policy = Policies.CaseWorker)]
internal sealed class CaseFileModel(SeekerQueries seekers, CaseFileQueries files) : PageModel
{
    public string Reference { get; private set; } = "";
    public CaseFileQueries.CaseFile Case { get; private set; } = null!;
    public bool Conflict { get; private set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string reference, CancellationToken ct)
    {
        if (await seekers.FindAsync(reference, User.OrganisationId(), ct) is not { } s) return NotFound();
        await LoadAsync(s, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(string reference, long version, string? survivorStatus, string? referralSource, CancellationToken ct)
    {
        if (await seekers.FindAsync(reference, User.OrganisationId(), ct) is not { } s) return NotFound();
        var status = string.IsNullOrEmpty(survivorStatus) ? null : survivorStatus;
        var saved = await files.SaveAsync(s.Id, s.Reference, status, referralSource, version, User.UserId(), ct);
        if (saved.Version is not null) return Redirect($"/casework/seekers/{s.Reference}/casefile");
        if (saved.InvalidField is not null)
        {
            Error = "InvalidCaseFile";
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        else
        {
            Conflict = true;
            Response.StatusCode = StatusCodes.Status409Conflict;
        }
        await LoadAsync(s, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostNoteAsync(string reference, string? body, CancellationToken ct)
    {
        if (await seekers.FindAsync(reference, User.OrganisationId(), ct) is not { } s) return NotFound();
        if (await files.AddNoteAsync(s.Id, s.Reference, body, User.UserId(), ct)) return Redirect($"/casework/seekers/{s.Reference}/casefile");
        // Next to the textarea (issue 16); the long-note case keeps its sentence at the top as well.
        if (string.IsNullOrWhiteSpace(body)) this.ShowErrors(new Dictionary<string, string[]> { ["body"] = ["This field is required."] });
        else Error = "InvalidNote";
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync(s, ct);
        return Page();
    }

    private async Task LoadAsync(SeekerRow s, CancellationToken ct)
    {
        Reference = s.Reference;
        Case = await files.ReadAsync(s.Id, s.Reference, ct);
    }
}
