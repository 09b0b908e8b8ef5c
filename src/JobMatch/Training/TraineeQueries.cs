using Dapper;
using JobMatch.Seekers;
using Npgsql;

namespace JobMatch.Training;

/// <summary>
/// What a training provider may see of its own trainees (seekers with an active enrolment with it): reference,
/// first name and skills — built from this allow-list only, never case information or contact details.
/// </summary>
internal sealed class TraineeQueries(NpgsqlDataSource db, SeekerFirstNames firstNames)
{
    public sealed record TraineeSkill(string SkillCode, string NameEn, string NameBn, int Level, string Source, DateOnly? CertifiedOn, int MonthsExperience);
    public sealed record Trainee(string Reference, string FirstName, IReadOnlyList<TraineeSkill> Skills);

    /// <summary>The seeker id of this provider's trainee, or null (404) for anyone else.</summary>
    public async Task<long?> FindAsync(string? reference, Guid providerId, CancellationToken ct)
    {
        if (SeekerReference.Normalize(reference) is not { } normalised || providerId == Guid.Empty) return null;
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            SELECT s.id FROM seeker s JOIN enrolment e ON e.seeker_id = s.id
            WHERE s.reference = @normalised AND e.provider_id = @providerId AND e.ended_at IS NULL AND s.status <> 'erased'
            """, new { normalised, providerId }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<Trainee>> ListAsync(Guid providerId, int page, CancellationToken ct, string? reference = null)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var seekers = (await connection.QueryAsync<(long Id, string Reference)>(new CommandDefinition(
            """
            SELECT s.id, s.reference FROM seeker s JOIN enrolment e ON e.seeker_id = s.id
            WHERE e.provider_id = @providerId AND e.ended_at IS NULL AND s.status <> 'erased'
              AND (@reference::text IS NULL OR s.reference = @reference)
            ORDER BY e.enrolled_at DESC, s.id DESC
            LIMIT 50 OFFSET @offset
            """, new { providerId, reference, offset = Math.Max(0, page - 1) * 50 }, cancellationToken: ct))).ToList();
        var skills = await SeekerSkills.ListAsync(connection, seekers.Select(s => s.Id).ToArray(), ct);
        var names = await firstNames.ReadAsync(seekers, ct);
        return seekers.Select(s => new Trainee(s.Reference, names.GetValueOrDefault(s.Id, ""),
            skills.GetValueOrDefault(s.Id, []).Select(k => new TraineeSkill(k.SkillCode, k.NameEn, k.NameBn, k.Level, k.Source, k.CertifiedOn, k.MonthsExperience)).ToList()))
            .ToList();
    }
}
