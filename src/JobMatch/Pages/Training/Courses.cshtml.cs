using JobMatch.Identity;
using JobMatch.Seekers;
using JobMatch.Training;
using JobMatch.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Pages.Training;

/// <summary>The provider's courses (skills taught with levels) and recording one trainee's completion.</summary>
[Authorize(Policy = Policies.TrainingProvider)]
internal sealed class CoursesModel(CourseQueries courses, TraineeQueries trainees) : PageModel
{
    public IReadOnlyList<CourseQueries.Course> Courses { get; private set; } = [];
    public Dictionary<string, string[]> Errors { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Courses = await courses.ListAsync(User.OrganisationId(), ct);

    public async Task<IActionResult> OnPostCreateAsync(string code, string name, string? skills, CancellationToken ct)
    {
        var taught = new List<CourseQueries.CourseSkill>();
        foreach (var part in (skills ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var bits = part.Split(':', StringSplitOptions.TrimEntries);
            taught.Add(new CourseQueries.CourseSkill(bits[0], bits.Length > 1 && UploadFormat.TryInt(bits[1], out var level) ? level : 0));
        }
        Errors = await courses.CreateAsync(User.OrganisationId(), code ?? "", name ?? "", taught, ct);
        return await AfterAsync(ct);
    }

    public async Task<IActionResult> OnPostCompleteAsync(string? courseCode, string? trainee, DateOnly? completedOn, bool certified, CancellationToken ct)
    {
        // Each problem next to its field (issue 16): an empty or unknown trainee number is the form's error, not a 404 page;
        // a missing date is not bound silently as year 1. Unknown and another provider's trainee read the same.
        var seekerId = string.IsNullOrWhiteSpace(trainee) ? null : await trainees.FindAsync(trainee.Trim(), User.OrganisationId(), ct);
        if (string.IsNullOrWhiteSpace(trainee)) Errors["trainee"] = ["Enter the trainee's reference."];
        else if (seekerId is null) Errors["trainee"] = ["No trainee of yours has this reference."];
        if (completedOn is null) Errors["completedOn"] = ["This field is required."];
        else if (completedOn > DateOnly.FromDateTime(DateTime.UtcNow)) Errors["completedOn"] = ["The date is in the future."];
        if (Errors.Count > 0) return await AfterAsync(ct);
        if (!await courses.CompleteAsync(User.OrganisationId(), courseCode ?? "", seekerId!.Value, completedOn!.Value, certified, User.UserId(), ct))
        {
            Errors["courseCode"] = ["Unknown course code."];
        }
        return await AfterAsync(ct);
    }

    private async Task<IActionResult> AfterAsync(CancellationToken ct)
    {
        if (Errors.Count == 0) return Redirect("/training/courses");
        this.ShowErrors(Errors);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await OnGetAsync(ct);
        return Page();
    }
}
