using JobMatch.Database;
using Dapper;
using JobMatch.Seekers;
using Npgsql;

namespace JobMatch.Training;

/// <summary>
/// What a training provider may see of its own trainees (seekers with an active enrolment with it): the provider's
/// own trainee number, first name and skills — built from this allow-list only, never case work's reference, case
/// information or contact details.
/// </summary>
internal sealed class TraineeQueries(NpgsqlDataSource db, SeekerFirstNames firstNames)
{
    public sealed record TraineeSkill(string SkillCode, string NameEn, string NameBn, int Level, string Source, DateOnly? CertifiedOn, int MonthsExperience);
    public sealed record Trainee(string TraineeNumber, string FirstName, IReadOnlyList<TraineeSkill> Skills);

    /// <summary>The seeker id of this provider's trainee, or null (404) for anyone else.</summary>
    public async Task<long?> FindAsync(string? number, Guid providerId, CancellationToken ct)
    {
        if (TraineeNumber.Normalize(number) is not { } normalised || providerId == Guid.Empty) return null;
        await using var read = await ProviderReads.BeginAsync(db, ct); // R4: as jm_provider_api, no case file or identity
        var connection = read.Connection;
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            $"""
            SELECT s.id {Trainees}
              AND tn.number = @normalised AND e.provider_id = @providerId
            """, new { normalised, providerId }, cancellationToken: ct));
    }

    /// <summary>The provider's current trainees with their numbers (FROM … WHERE; callers add AND-ed filters).</summary>
    internal const string Trainees = """
        FROM seeker s
        JOIN enrolment e ON e.seeker_id = s.id AND e.ended_at IS NULL
        JOIN trainee_number tn ON tn.seeker_id = s.id AND tn.provider_id = e.provider_id
        WHERE s.status <> 'erased'
        """;

    /// <summary>The provider's trainees, a page at a time; with <paramref name="number"/>, that one trainee only (none if malformed).</summary>
    public async Task<IReadOnlyList<Trainee>> ListAsync(Guid providerId, int page, CancellationToken ct, string? number = null)
    {
        var only = TraineeNumber.Normalize(number);
        if (number is not null && only is null) return [];
        await using var read = await ProviderReads.BeginAsync(db, ct);
        var connection = read.Connection;
        // The reference is read for the audit rows only (case work's subject); the provider gets the number.
        var seekers = (await connection.QueryAsync<(long Id, string Reference, string Number)>(new CommandDefinition(
            $"""
            SELECT s.id, s.reference, tn.number {Trainees}
              AND e.provider_id = @providerId AND (@number::text IS NULL OR tn.number = @number)
            ORDER BY e.enrolled_at DESC, s.id DESC
            LIMIT 50 OFFSET @offset
            """, new { providerId, number = only, offset = Math.Max(0, page - 1) * 50 }, cancellationToken: ct))).ToList();
        var skills = await SeekerSkills.ListAsync(connection, seekers.Select(s => s.Id).ToArray(), ct);
        var names = await firstNames.ReadAsync(seekers.Select(s => (s.Id, s.Reference)).ToList(), ct);
        return seekers.Select(s => new Trainee(s.Number, names.GetValueOrDefault(s.Id, ""),
            skills.GetValueOrDefault(s.Id, []).Select(k => new TraineeSkill(k.SkillCode, k.NameEn, k.NameBn, k.Level, k.Source, k.CertifiedOn, k.MonthsExperience)).ToList()))
            .ToList();
    }
}
