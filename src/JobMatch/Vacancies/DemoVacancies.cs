using Dapper;
using Npgsql;

namespace JobMatch.Vacancies;

/// <summary>
/// Demo mode only: the demo employer is verified and has three open vacancies in hospitality, so the first
/// start shows a working board and proposals for the demo seekers. Obviously fake business data.
/// </summary>
internal sealed class DemoVacancies(NpgsqlDataSource db, VacancyEvents events)
{
    public async Task<IReadOnlyList<long>> CreateAsync(Guid employerId, Guid verifiedBy, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO employer (organisation_id, membership_number, trade_licence_number, contact_person, contact_email, address,
                                  sector_code, status, verified_at, verified_by, preferred_language)
            VALUES (@employerId, 'CCCI-DEMO-001', 'TL-DEMO-2026-001', 'Demo Manager', 'employer@demo.jobmatch.local',
                    'Kolatoli Road (demo)', 'hospitality', 'verified', now(), @verifiedBy, 'en')
            ON CONFLICT (organisation_id) DO NOTHING
            """, new { employerId, verifiedBy }, tx, cancellationToken: ct));

        (string TitleEn, string TitleBn, int Min, int Max, (string Code, int Level, bool Required)[] Skills)[] vacancies =
        [
            ("Room attendant", "রুম অ্যাটেনডেন্ট", 9000, 12000, [("HOS-002", 2, true), ("HOS-003", 1, false)]),
            ("Kitchen helper", "রান্নাঘরের সহকারী", 8500, 11000, [("HOS-004", 2, true)]),
            ("Front desk assistant", "অভ্যর্থনা সহকারী", 11000, 15000, [("HOS-001", 2, true), ("HOS-002", 1, false)]),
        ];
        var ids = new List<long>();
        foreach (var v in vacancies)
        {
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO vacancy (employer_id, title_en, title_bn, description_en, description_bn, isco08, sector_code, upazila_code, lat, lon,
                                     wage_min_bdt, wage_max_bdt, kind, openings, hours, facilities, closing_date, status, published_at)
                SELECT @employerId, @TitleEn, @TitleBn, 'A demo vacancy at a guest house in Cox''s Bazar.', 'কক্সবাজারের একটি গেস্ট হাউসে নমুনা শূন্যপদ।',
                       '5151', 'hospitality', u.code, u.lat, u.lon, @Min, @Max, 'wage', 2, '8:00-16:00, 6 days', '{women_friendly,written_contract}',
                       current_date + 45, 'open', now()
                FROM upazila u WHERE u.code = 'coxs_bazar_sadar'
                RETURNING id
                """, new { employerId, v.TitleEn, v.TitleBn, v.Min, v.Max }, tx, cancellationToken: ct));
            foreach (var (code, level, required) in v.Skills)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO vacancy_skill (vacancy_id, skill_id, min_level, required) SELECT @id, id, @level, @required FROM skill WHERE code = @code",
                    new { id, code, level, required }, tx, cancellationToken: ct));
            }
            await events.PublishedAsync(id, employerId, connection, tx, ct);
            ids.Add(id);
        }
        await tx.CommitAsync(ct);
        return ids;
    }
}
