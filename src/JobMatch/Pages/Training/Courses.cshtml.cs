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

    /// <summary>Skill rows of the new-course form (a picker and a level each); empty rows are ignored.</summary>
    public const int SkillRows = 5;

    public async Task<IActionResult> OnPostCreateAsync(string code, string name, CancellationToken ct)
    {
        // Skills are chosen by name (skill-1 … skill-5 post codes); each row's problem is shown at that row.
        var taught = new List<CourseQueries.CourseSkill>();
        for (var i = 1; i <= SkillRows; i++)
        {
            // Not handler parameters, so not in ModelState by themselves: put them there, or a failed POST loses the rows.
            foreach (var key in new[] { $"skill-{i}", $"level-{i}" }) ModelState.SetModelValue(key, Request.Form[key], Request.Form[key].ToString());
            var skill = Request.Form[$"skill-{i}"].ToString().Trim();
            if (skill.Length == 0) continue;
            if (!UploadFormat.TryInt(Request.Form[$"level-{i}"].ToString(), out var level) || level is < 1 or > 4) Errors[$"level-{i}"] = ["Levels are 1 to 4."];
            else taught.Add(new CourseQueries.CourseSkill(skill, level));
        }
        if (taught.Count == 0 && Errors.Count == 0) Errors["skill-1"] = ["A course teaches at least one skill."];
        foreach (var (field, messages) in await courses.CreateAsync(User.OrganisationId(), code ?? "", name ?? "", taught, ct))
        {
            // The course's "skills" problems (an unknown code) belong to the first row; the empty-list one is said above.
            if (field == "skills" && (taught.Count == 0 || Errors.ContainsKey("skill-1"))) continue;
            Errors[field == "skills" ? "skill-1" : field] = messages;
        }
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
