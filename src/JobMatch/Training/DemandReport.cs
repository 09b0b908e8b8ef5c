namespace JobMatch.Training;

/// <summary>
/// The demand view ready to show: lines by sector, the skills with the largest gaps, and the provider's courses
/// that teach them, ordered by how many positions those skills leave unfilled.
/// </summary>
internal sealed class DemandReport(DemandQueries queries)
{
    public const int TopGaps = 10;

    public sealed record Course(string Code, string Name, long Gap, IReadOnlyList<string> Skills);

    public sealed record View(IReadOnlyList<DemandQueries.Line> Lines, IReadOnlyList<DemandQueries.Line> Gaps, IReadOnlyList<Course> Courses);

    public async Task<View> LoadAsync(Guid providerId, string? upazila, CancellationToken ct)
    {
        var lines = await queries.DemandAsync(providerId, upazila, ct);
        var gaps = lines.Where(l => l.Gap > 0).OrderByDescending(l => l.Gap).ThenBy(l => l.SkillCode, StringComparer.Ordinal).Take(TopGaps).ToList();
        var taught = await queries.CoursesTeachingAsync(providerId, gaps.Select(g => g.SkillCode).ToArray(), ct);
        var gapBySkill = gaps.ToDictionary(g => g.SkillCode, g => g.Gap, StringComparer.Ordinal);
        var courses = taught.GroupBy(t => (t.CourseCode, t.CourseName))
            .Select(g => new Course(g.Key.CourseCode, g.Key.CourseName, g.Sum(t => gapBySkill[t.SkillCode]), g.Select(t => t.SkillCode).ToList()))
            .OrderByDescending(c => c.Gap).ThenBy(c => c.Code, StringComparer.Ordinal).ToList();
        return new View(lines, gaps, courses);
    }
}
