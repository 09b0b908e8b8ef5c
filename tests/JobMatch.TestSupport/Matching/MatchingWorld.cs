using Dapper;
using Npgsql;

namespace JobMatch.Tests.Matching;

/// <summary>Builds matching test data straight in SQL: employers, vacancies, seekers with skills and consent.</summary>
internal sealed class MatchingWorld(NpgsqlDataSource db)
{
    private static readonly Random Random = new();

    public async Task<Guid> AgencyAsync(bool requiresReview = true)
    {
        var id = Guid.CreateVersion7();
        await using var c = await db.OpenConnectionAsync();
        await c.ExecuteAsync("INSERT INTO organisation (id, kind, name, requires_match_review) VALUES (@id, 'case_agency', @name, @requiresReview)",
            new { id, name = "Agency " + id, requiresReview });
        return id;
    }

    public async Task<Guid> EmployerAsync(string status = "verified")
    {
        var id = Guid.CreateVersion7();
        await using var c = await db.OpenConnectionAsync();
        await c.ExecuteAsync("INSERT INTO organisation (id, kind, name, membership) VALUES (@id, 'employer', @name, 'chamber')", new { id, name = "Employer " + id });
        await c.ExecuteAsync("INSERT INTO employer (organisation_id, status, sector_code) VALUES (@id, @status, 'garments')", new { id, status });
        return id;
    }

    /// <summary>An open vacancy in Cox's Bazar Sadar needing the given skills (code, min level, required).</summary>
    public async Task<long> VacancyAsync(Guid employerId, params (string Code, int MinLevel, bool Required)[] skills)
    {
        await using var c = await db.OpenConnectionAsync();
        var id = await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO vacancy (employer_id, title_en, sector_code, upazila_code, lat, lon, wage_min_bdt, wage_max_bdt, kind, openings,
                                 closing_date, status, published_at)
            SELECT @employerId, 'Tailor', 'garments', code, lat, lon, 12000, 16000, 'wage', 2, current_date + 30, 'open', now()
            FROM upazila WHERE code = 'coxs_bazar_sadar'
            RETURNING id
            """, new { employerId });
        foreach (var (code, minLevel, required) in skills)
        {
            await c.ExecuteAsync(
                "INSERT INTO vacancy_skill (vacancy_id, skill_id, min_level, required) SELECT @id, id, @minLevel, @required FROM skill WHERE code = @code",
                new { id, code, minLevel, required });
        }
        return id;
    }

    /// <summary>An active seeker with the given skills and, unless told otherwise, an active consent to be matched.</summary>
    public async Task<(long Id, string Reference)> SeekerAsync(Guid agencyId, (string Code, int Level)[] skills, bool consent = true,
        string upazila = "coxs_bazar_sadar", string gender = "F", string[]? blockedSectors = null, int maxTravelKm = 30)
    {
        var reference = "JS-" + new string(Enumerable.Range(0, 6).Select(_ => "23456789ABCDEFGHJKMNPQRSTUVWXYZ"[Random.Next(31)]).ToArray());
        await using var c = await db.OpenConnectionAsync();
        var id = await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO seeker (reference, agency_id, upazila_code, education_level, wants, expected_wage_bdt, max_travel_km, gender, birth_year, blocked_sectors)
            VALUES (@reference, @agencyId, @upazila, 2, 'wage', 13000, @maxTravelKm, @gender, 1995, @blocked)
            RETURNING id
            """, new { reference, agencyId, upazila, maxTravelKm, gender, blocked = blockedSectors ?? [] });
        foreach (var (code, level) in skills)
        {
            await c.ExecuteAsync(
                """
                INSERT INTO seeker_skill (seeker_id, skill_id, level, source, months_experience)
                SELECT @id, id, @level, 'assessed', 12 FROM skill WHERE code = @code
                """, new { id, code, level });
        }
        await c.ExecuteAsync("UPDATE seeker SET skill_ids = (SELECT coalesce(array_agg(skill_id), '{}') FROM seeker_skill WHERE seeker_id = @id) WHERE id = @id", new { id });
        if (consent)
        {
            await c.ExecuteAsync(
                "INSERT INTO consent (seeker_id, purpose, method, recorded_by, granted_at) VALUES (@id, 'matching', 'in_person', @agencyId, now())",
                new { id, agencyId });
        }
        return (id, reference);
    }

    public async Task<List<(long SeekerId, string Status, int Rank)>> MatchesAsync(long vacancyId)
    {
        await using var c = await db.OpenConnectionAsync();
        return (await c.QueryAsync<(long, string, int)>("SELECT seeker_id, status, rank FROM match WHERE vacancy_id = @vacancyId ORDER BY rank", new { vacancyId })).ToList();
    }
}
