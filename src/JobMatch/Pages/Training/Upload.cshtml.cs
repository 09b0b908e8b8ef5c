using JobMatch.Identity;
using JobMatch.Training;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Pages.Training;

/// <summary>CSV upload → preview listing every bad row by line and reason → commit everything or nothing.</summary>
[Authorize(Policy = Policies.TrainingProvider)]
[RequestSizeLimit(TrainingEndpoints.MaxUploadBytes + 64 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = TrainingEndpoints.MaxUploadBytes + 64 * 1024)]
internal sealed class UploadModel(UploadStore uploads, UploadCommit commits) : PageModel
{
    public UploadStore.Preview? Preview { get; private set; }
    public bool Committed { get; private set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid? id, bool committed, CancellationToken ct)
    {
        Committed = committed;
        if (id is { } uploadId && (Preview = await commits.PreviewAsync(uploadId, User.OrganisationId(), ct)) is null) return NotFound();
        return Page();
    }

    public async Task<IActionResult> OnPostUploadAsync(string kind, IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0 || !UploadFormat.Columns.ContainsKey(kind ?? ""))
        {
            Error = "ChooseFile";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        await using var stream = file.OpenReadStream();
        var preview = await uploads.UploadAsync(stream, kind!, User.OrganisationId(), User.UserId(), ct);
        if (preview.HeaderError is not null)
        {
            Error = "BadHeader";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        return Redirect($"/training/upload?id={preview.Id}");
    }

    public async Task<IActionResult> OnPostCommitAsync(Guid id, CancellationToken ct)
    {
        var outcome = await commits.CommitAsync(id, User.OrganisationId(), User.UserId(), ct);
        if (outcome is null) return NotFound();
        if (outcome.Committed) return Redirect("/training/upload?committed=true");
        Error = "HasErrors";
        Preview = await commits.PreviewAsync(id, User.OrganisationId(), ct);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
