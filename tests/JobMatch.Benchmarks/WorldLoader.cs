using System.Diagnostics;
using Dapper;
using JobMatch.Ranking;
using Npgsql;
using NpgsqlTypes;

namespace JobMatch.Benchmarks;

/// <summary>
/// B0: the world into PostgreSQL by binary COPY (the product has no bulk path for seekers or vacancies; case workers
/// register seekers one by one). GIN and other indexes are maintained live, as they would be in production.
/// </summary>
internal sealed class WorldLoader(NpgsqlDataSource db, BenchWorld world)
{
    public Guid AgencyId { get; } = Guid.CreateVersion7();
    public Guid ProviderId { get; } = Guid.CreateVersion7();
    public Guid RecorderId { get; } = Guid.CreateVersion7();

    /// <summary>Database id of world seeker i (0-based) and of trainee j.</summary>
    public long[] SeekerIds { get; private set; } = [];
    public long[] TraineeIds { get; private set; } = [];
    public string[] TraineeRefs { get; private set; } = [];
    public long[] VacancyIds { get; private set; } = [];
    public Dictionary<string, Guid> Employers { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, int> SkillIds { get; private set; } = [];
    public Dictionary<long, int> WorldIndexOfSeeker { get; } = [];

    public static string Reference(int n)
    {
        const string digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        var chars = new char[6];
        for (var i = 5; i >= 0; i--) { chars[i] = digits[n % 36]; n /= 36; }
        return "JS-" + new string(chars);
    }

    public async Task LoadAsync(WorkloadResult b0)
    {
        var clock = Stopwatch.StartNew();
        long rows = 0;
        await using var c = await db.OpenConnectionAsync();
        SkillIds = (await c.QueryAsync<(string Code, int Id)>("SELECT code, id FROM skill")).ToDictionary(s => s.Code, s => s.Id, StringComparer.Ordinal);
        await c.ExecuteAsync(
            """
            INSERT INTO organisation (id, kind, name, requires_match_review) VALUES (@AgencyId, 'case_agency', 'Bench agency', false);
            INSERT INTO organisation (id, kind, name) VALUES (@ProviderId, 'training_provider', 'Bench provider');
            """, new { AgencyId, ProviderId });
        foreach (var employerRef in world.Vacancies.Select(v => v.EmployerRef).Distinct().Order(StringComparer.Ordinal)) Employers[employerRef] = Guid.CreateVersion7();
        await using (var w = await c.BeginBinaryImportAsync("COPY organisation (id, kind, name, membership) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (name, id) in Employers) { w.StartRow(); w.Write(id, NpgsqlDbType.Uuid); w.Write("employer", NpgsqlDbType.Text); w.Write("Bench employer " + name, NpgsqlDbType.Text); w.Write("chamber", NpgsqlDbType.Text); }
            rows += (long)await w.CompleteAsync();
        }
        await using (var w = await c.BeginBinaryImportAsync("COPY employer (organisation_id, status, sector_code, verified_at, contact_person) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var id in Employers.Values) { w.StartRow(); w.Write(id, NpgsqlDbType.Uuid); w.Write("verified", NpgsqlDbType.Text); w.Write(world.Taxonomy.Sectors[0].Code, NpgsqlDbType.Text); w.Write(DateTime.UtcNow, NpgsqlDbType.TimestampTz); w.Write("Bench", NpgsqlDbType.Text); }
            rows += (long)await w.CompleteAsync();
        }

        // Seekers: the world's (matchable), then the trainees B1 imports skills for (not matchable: no consent).
        var seekerCount = world.Seekers.Count + world.Trainees;
        await using (var w = await c.BeginBinaryImportAsync(
            "COPY seeker (reference, agency_id, upazila_code, education_level, wants, preferred_sectors, expected_wage_bdt, max_travel_km, gender, birth_year, skill_ids) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < seekerCount; i++)
            {
                var s = world.Seekers[i % world.Seekers.Count];
                var trainee = i >= world.Seekers.Count;
                var p = s.Profile;
                w.StartRow();
                w.Write(Reference(i + 1), NpgsqlDbType.Text);
                w.Write(AgencyId, NpgsqlDbType.Uuid);
                w.Write(s.Upazila, NpgsqlDbType.Text);
                w.Write(p.EducationLevel, NpgsqlDbType.Integer);
                w.Write(p.Wants switch { WorkKind.Wage => "wage", WorkKind.Self => "self", _ => "any" }, NpgsqlDbType.Text);
                w.Write(p.PreferredSectors.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
                if (p.ExpectedWageBdt is { } wage) w.Write((int)wage, NpgsqlDbType.Integer); else w.WriteNull();
                if (p.MaxTravelKm is { } km) w.Write((int)km, NpgsqlDbType.Integer); else w.WriteNull();
                w.Write(s.Gender, NpgsqlDbType.Text);
                if (s.BirthYear is { } year) w.Write(year, NpgsqlDbType.Integer); else w.WriteNull();
                w.Write(trainee ? [] : p.Skills.Select(k => SkillIds[k.Code]).Distinct().ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Integer);
            }
            rows += (long)await w.CompleteAsync();
        }
        var ids = (await c.QueryAsync<(long Id, string Reference)>("SELECT id, reference FROM seeker")).ToDictionary(r => r.Reference, r => r.Id, StringComparer.Ordinal);
        SeekerIds = Enumerable.Range(0, world.Seekers.Count).Select(i => ids[Reference(i + 1)]).ToArray();
        TraineeRefs = Enumerable.Range(world.Seekers.Count, world.Trainees).Select(i => Reference(i + 1)).ToArray();
        TraineeIds = TraineeRefs.Select(r => ids[r]).ToArray();
        for (var i = 0; i < SeekerIds.Length; i++) WorldIndexOfSeeker[SeekerIds[i]] = i;

        await using (var w = await c.BeginBinaryImportAsync(
            "COPY seeker_skill (seeker_id, skill_id, level, source, certified_by, certified_on, months_experience) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < world.Seekers.Count; i++)
            {
                foreach (var k in world.Seekers[i].Profile.Skills.DistinctBy(k => k.Code))
                {
                    w.StartRow();
                    w.Write(SeekerIds[i], NpgsqlDbType.Bigint);
                    w.Write(SkillIds[k.Code], NpgsqlDbType.Integer);
                    w.Write(k.Level, NpgsqlDbType.Integer);
                    w.Write(k.Certified ? "certified" : "assessed", NpgsqlDbType.Text);
                    w.Write(ProviderId, NpgsqlDbType.Uuid);
                    if (k.Certified) w.Write(BenchWorld.CertifiedOn, NpgsqlDbType.Date); else w.WriteNull();
                    w.Write((int)k.MonthsExperience, NpgsqlDbType.Integer);
                }
            }
            rows += (long)await w.CompleteAsync();
        }
        await using (var w = await c.BeginBinaryImportAsync("COPY consent (seeker_id, purpose, method, recorded_by) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var id in SeekerIds) { w.StartRow(); w.Write(id, NpgsqlDbType.Bigint); w.Write("matching", NpgsqlDbType.Text); w.Write("in_person", NpgsqlDbType.Text); w.Write(RecorderId, NpgsqlDbType.Uuid); }
            rows += (long)await w.CompleteAsync();
        }
        await using (var w = await c.BeginBinaryImportAsync("COPY enrolment (seeker_id, provider_id, consent_method, enrolled_by) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var id in TraineeIds) { w.StartRow(); w.Write(id, NpgsqlDbType.Bigint); w.Write(ProviderId, NpgsqlDbType.Uuid); w.Write("in_person", NpgsqlDbType.Text); w.Write(RecorderId, NpgsqlDbType.Uuid); }
            rows += (long)await w.CompleteAsync();
        }
        // A provider knows its trainees by its own trainee numbers (what its uploads name), as enrolment creates them.
        await c.ExecuteAsync("INSERT INTO trainee_number (provider_id, seeker_id) SELECT @ProviderId, unnest(@TraineeIds) ON CONFLICT DO NOTHING",
            new { ProviderId, TraineeIds });
        var numbers = (await c.QueryAsync<(long Id, string Number)>("SELECT seeker_id, number FROM trainee_number WHERE provider_id = @ProviderId", new { ProviderId }))
            .ToDictionary(r => r.Id, r => r.Number);
        TraineeRefs = TraineeIds.Select(id => numbers[id]).ToArray();

        var closing = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(60);
        await using (var w = await c.BeginBinaryImportAsync(
            "COPY vacancy (employer_id, title_en, description_en, sector_code, upazila_code, lat, lon, wage_min_bdt, wage_max_bdt, kind, openings, min_education_level, closing_date, status, published_at) FROM STDIN (FORMAT BINARY)"))
        {
            var published = DateTime.UtcNow.AddDays(-1);
            foreach (var v in world.Vacancies)
            {
                var p = v.Profile;
                w.StartRow();
                w.Write(Employers[v.EmployerRef], NpgsqlDbType.Uuid);
                w.Write(v.Title, NpgsqlDbType.Text);
                w.Write("We are hiring: " + v.Title + ". Training is given on the job.", NpgsqlDbType.Text);
                w.Write(p.Sector, NpgsqlDbType.Text);
                w.Write(v.Upazila, NpgsqlDbType.Text);
                w.Write(p.Lat!.Value, NpgsqlDbType.Double);
                w.Write(p.Lon!.Value, NpgsqlDbType.Double);
                if (p.WageMinBdt is { } min) w.Write((int)min, NpgsqlDbType.Integer); else w.WriteNull();
                if (p.WageMaxBdt is { } max) w.Write((int)max, NpgsqlDbType.Integer); else w.WriteNull();
                w.Write(p.EmploymentType == WorkKind.Self ? "self" : "wage", NpgsqlDbType.Text);
                w.Write(v.Openings, NpgsqlDbType.Integer);
                w.Write(p.MinEducationLevel, NpgsqlDbType.Integer);
                w.Write(closing, NpgsqlDbType.Date);
                w.Write("open", NpgsqlDbType.Text);
                w.Write(published = published.AddSeconds(1), NpgsqlDbType.TimestampTz);
            }
            rows += (long)await w.CompleteAsync();
        }
        VacancyIds = (await c.QueryAsync<long>("SELECT id FROM vacancy ORDER BY id")).ToArray();
        await using (var w = await c.BeginBinaryImportAsync("COPY vacancy_skill (vacancy_id, skill_id, min_level, required) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < world.Vacancies.Count; i++)
            {
                foreach (var k in world.Vacancies[i].Profile.Skills.DistinctBy(k => k.Code))
                {
                    w.StartRow(); w.Write(VacancyIds[i], NpgsqlDbType.Bigint); w.Write(SkillIds[k.Code], NpgsqlDbType.Integer);
                    w.Write(k.MinLevel, NpgsqlDbType.Integer); w.Write(k.Required, NpgsqlDbType.Boolean);
                }
            }
            rows += (long)await w.CompleteAsync();
        }
        var copy = clock.Elapsed.TotalSeconds;
        // Flush GIN pending lists and give the planner statistics, as autovacuum would shortly after a bulk load.
        var vacuum = Stopwatch.StartNew();
        foreach (var table in new[] { "seeker", "seeker_skill", "consent", "vacancy", "vacancy_skill", "enrolment", "organisation", "employer" })
        {
            await c.ExecuteAsync($"VACUUM (ANALYZE) {table}", commandTimeout: 600);
        }
        b0.Metric("rows", rows);
        b0.Metric("copy_s", copy);
        b0.Metric("copy_rows_per_s", rows / copy);
        b0.Metric("vacuum_analyze_s", vacuum.Elapsed.TotalSeconds);
        b0.Metric("wall_s", clock.Elapsed.TotalSeconds);
    }
}
