using JobMatch.Database;
using Dapper;
using JobMatch.Audit;
using JobMatch.Seekers;
using Npgsql;

namespace JobMatch.Training;

/// <summary>A provider's courses, the skills (and level) each teaches, and completions that write skill records.</summary>
internal sealed class CourseQueries(NpgsqlDataSource db, AuditLog audit, MatchingContract.IMatchingTriggers matching)
{
    public sealed record CourseSkill(string SkillCode, int Level);
    public sealed record Course(string Code, string Name, IReadOnlyList<CourseSkill> Skills, int Completions);

    public async Task<IReadOnlyList<Course>> ListAsync(Guid providerId, CancellationToken ct)
    {
        await using var read = await ProviderReads.BeginAsync(db, ct); // R4: as jm_provider_api
        var connection = read.Connection;
        var courses = await connection.QueryAsync<(long Id, string Code, string Name, int Completions)>(new CommandDefinition(
            """
            SELECT c.id, c.code, c.name, (SELECT count(*)::int FROM course_completion cc WHERE cc.course_id = c.id) AS completions
            FROM course c WHERE c.provider_id = @providerId ORDER BY c.code
            """, new { providerId }, cancellationToken: ct));
        var skills = (await connection.QueryAsync<(long CourseId, string Code, int Level)>(new CommandDefinition(
            """
            SELECT cs.course_id, k.code, cs.level FROM course_skill cs JOIN skill k ON k.id = cs.skill_id
            JOIN course c ON c.id = cs.course_id WHERE c.provider_id = @providerId ORDER BY k.code
            """, new { providerId }, cancellationToken: ct))).ToLookup(s => s.CourseId);
        return courses.Select(c => new Course(c.Code, c.Name, skills[c.Id].Select(s => new CourseSkill(s.Code, s.Level)).ToList(), c.Completions)).ToList();
    }

    public async Task<Dictionary<string, string[]>> CreateAsync(Guid providerId, string code, string name, IReadOnlyList<CourseSkill> skills, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!System.Text.RegularExpressions.Regex.IsMatch(code ?? "", "^[A-Za-z0-9_-]{1,40}$")) errors["code"] = ["Use 1–40 letters, digits, - or _."];
        if (string.IsNullOrWhiteSpace(name) || name.Length > 200) errors["name"] = ["A name of at most 200 characters is required."];
        else if (name.Contains('\0')) errors["name"] = ["The name holds a character that cannot be stored (a NUL)."]; // PostgreSQL text cannot
        if (skills.Count == 0) errors["skills"] = ["A course teaches at least one skill."];
        if (skills.Any(s => s.Level is < 1 or > 4)) errors["skills"] = ["Levels are 1 to 4."];
        await using var connection = await db.OpenConnectionAsync(ct);
        // Codes in any case, or English/Bangla names (SeekerSkills.ResolveAsync): the same skill typed twice counts once.
        var ids = await SeekerSkills.ResolveAsync(connection, skills.Select(s => s.SkillCode ?? ""), ct);
        if (skills.Any(s => !ids.ContainsKey((s.SkillCode ?? "").Trim()))) errors["skills"] = ["Unknown skill code."];
        if (errors.Count > 0) return errors;
        await using var tx = await connection.BeginTransactionAsync(ct);
        var courseId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "INSERT INTO course (provider_id, code, name) VALUES (@providerId, @code, @name) ON CONFLICT (provider_id, code) DO NOTHING RETURNING id",
            new { providerId, code, name = name.Trim() }, tx, cancellationToken: ct));
        if (courseId is null) return new() { ["code"] = ["You already have a course with this code."] };
        foreach (var s in skills.DistinctBy(s => ids[s.SkillCode.Trim()]))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO course_skill (course_id, skill_id, level) VALUES (@courseId, @skillId, @level)",
                new { courseId, skillId = ids[s.SkillCode.Trim()], level = s.Level }, tx, cancellationToken: ct));
        }
        await tx.CommitAsync(ct);
        return errors;
    }

    /// <summary>Records one completion: the course's skills become assessed (or certified) records. False if no such course.</summary>
    public async Task<bool> CompleteAsync(Guid providerId, string courseCode, long seekerId, DateOnly completedOn, bool certified, Guid userId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var courseId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM course WHERE provider_id = @providerId AND code = @courseCode", new { providerId, courseCode }, tx, cancellationToken: ct));
        if (courseId is null) return false;
        var args = new { courseId, seekerId, completedOn, certified, userId, providerId };
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO course_completion (course_id, seeker_id, completed_on, certified, recorded_by) VALUES (@courseId, @seekerId, @completedOn, @certified, @userId)
            ON CONFLICT (course_id, seeker_id) DO UPDATE SET completed_on = EXCLUDED.completed_on, certified = EXCLUDED.certified, recorded_at = now()
            """, args, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO seeker_skill (seeker_id, skill_id, level, source, certified_by, certified_on, months_experience)
            SELECT @seekerId, cs.skill_id, cs.level, CASE WHEN @certified THEN 'certified' ELSE 'assessed' END, @providerId, @completedOn, 0
            FROM course_skill cs WHERE cs.course_id = @courseId
            ON CONFLICT (seeker_id, skill_id) DO UPDATE SET level = EXCLUDED.level, source = EXCLUDED.source,
                certified_by = EXCLUDED.certified_by, certified_on = EXCLUDED.certified_on, updated_at = now()
            {UploadCommit.KeepOtherCertificates}
            """, args, tx, cancellationToken: ct));
        await SeekerSkills.SyncSkillIdsAsync(connection, tx, [seekerId], ct);
        var reference = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT reference FROM seeker WHERE id = @seekerId", new { seekerId }, tx, cancellationToken: ct));
        await audit.WriteAsync("course_completed", SeekerReference.Subject(reference!), ct, userId, connection, tx);
        await tx.CommitAsync(ct);
        matching.SeekerChanged(seekerId);
        return true;
    }
}
