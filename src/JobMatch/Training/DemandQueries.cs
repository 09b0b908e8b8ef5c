using JobMatch.Database;
using Dapper;
using Npgsql;

namespace JobMatch.Training;

/// <summary>
/// What the open vacancies ask for against what one provider's trainees hold (issue 17): for every skill an open
/// vacancy requires or prefers, the open positions asking for it (a vacancy's openings), the provider's active
/// trainees who hold the skill at the level asked (the lowest level any of those vacancies accepts), and the gap.
/// Counts only: no seeker id, reference or name leaves this class.
/// </summary>
internal sealed class DemandQueries(NpgsqlDataSource db)
{
    public sealed class Line
    {
        public string SectorCode { get; init; } = "";
        public string SkillCode { get; init; } = "";
        public string SkillNameEn { get; init; } = "";
        public string SkillNameBn { get; init; } = "";
        public int RequiredLevel { get; init; }
        public long Positions { get; init; }
        public long RequiredPositions { get; init; }
        public long PreferredPositions { get; init; }
        public long Trainees { get; init; }
        public long Gap => Math.Max(0, Positions - Trainees);
    }

    public sealed class CourseLine
    {
        public string CourseCode { get; init; } = "";
        public string CourseName { get; init; } = "";
        public string SkillCode { get; init; } = "";
        public int Level { get; init; }
    }

    public async Task<IReadOnlyList<Line>> DemandAsync(Guid providerId, string? upazila, CancellationToken ct)
    {
        await using var read = await ProviderReads.BeginAsync(db, ct); // R4: as jm_provider_api
        var connection = read.Connection;
        var rows = await connection.QueryAsync<Line>(new CommandDefinition(
            """
            WITH asked AS (
                SELECT vs.skill_id,
                       sum(v.openings) AS positions,
                       coalesce(sum(v.openings) FILTER (WHERE vs.required), 0) AS required_positions,
                       coalesce(sum(v.openings) FILTER (WHERE NOT vs.required), 0) AS preferred_positions,
                       min(vs.min_level) AS required_level
                FROM vacancy v JOIN vacancy_skill vs ON vs.vacancy_id = v.id
                WHERE v.status = 'open' AND (@upazila::text IS NULL OR v.upazila_code = @upazila)
                GROUP BY vs.skill_id
            ), trainee AS (
                SELECT DISTINCT e.seeker_id FROM enrolment e JOIN seeker s ON s.id = e.seeker_id
                WHERE e.provider_id = @providerId AND e.ended_at IS NULL AND s.status <> 'erased'
            )
            SELECT k.sector_code, k.code AS skill_code, k.name_en AS skill_name_en, k.name_bn AS skill_name_bn,
                   a.required_level, a.positions, a.required_positions, a.preferred_positions,
                   (SELECT count(*) FROM trainee t JOIN seeker_skill ss ON ss.seeker_id = t.seeker_id
                    WHERE ss.skill_id = a.skill_id AND ss.level >= a.required_level) AS trainees
            FROM asked a JOIN skill k ON k.id = a.skill_id
            ORDER BY k.sector_code, a.positions DESC, k.code
            """, new { providerId, upazila }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>The provider's courses that teach any of the given skills, at the level they teach.</summary>
    public async Task<IReadOnlyList<CourseLine>> CoursesTeachingAsync(Guid providerId, string[] skillCodes, CancellationToken ct)
    {
        await using var read = await ProviderReads.BeginAsync(db, ct);
        var connection = read.Connection;
        var rows = await connection.QueryAsync<CourseLine>(new CommandDefinition(
            """
            SELECT c.code AS course_code, c.name AS course_name, k.code AS skill_code, cs.level
            FROM course c JOIN course_skill cs ON cs.course_id = c.id JOIN skill k ON k.id = cs.skill_id
            WHERE c.provider_id = @providerId AND k.code = ANY (@skillCodes)
            ORDER BY c.code, k.code
            """, new { providerId, skillCodes }, cancellationToken: ct));
        return rows.AsList();
    }
}
