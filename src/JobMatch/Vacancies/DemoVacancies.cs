using Dapper;
using Npgsql;

namespace JobMatch.Vacancies;

/// <summary>
/// Demo mode only: the demo employers are verified and have open vacancies, so the first start shows a working board
/// and proposals for the demo seekers. The Chamber member's guest house offers wage jobs, all at or above the
/// hospitality floor (the board never shows a demo job the publish rules would refuse); the NASCIB member offers
/// self-employment places (supplying its dry-fish yard, tailoring piece work in a cooperative), which pay by the
/// piece and are not held to a monthly floor. Obviously fake business data.
/// </summary>
internal sealed class DemoVacancies(NpgsqlDataSource db, VacancyEvents events)
{
    private sealed record Demo(Guid Employer, string TitleEn, string TitleBn, string DescriptionEn, string DescriptionBn, string Isco08, string Sector,
        string Upazila, int? Min, int? Max, string Kind, string Hours, string[] Facilities, (string Code, int Level, bool Required)[] Skills);

    private const string GuestHouseEn = "A demo vacancy at a guest house in Cox's Bazar. Clean work, lunch given, paid every month.";
    private const string GuestHouseBn = "কক্সবাজারের একটি গেস্ট হাউসে নমুনা শূন্যপদ। পরিষ্কার কাজ, দুপুরের খাবার দেওয়া হয়, প্রতি মাসে বেতন।";

    public async Task<IReadOnlyList<long>> CreateAsync(Guid employerId, Guid verifiedBy, CancellationToken ct, Guid? nascibEmployerId = null)
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

        List<Demo> vacancies =
        [
            new(employerId, "Room attendant", "রুম অ্যাটেনডেন্ট", GuestHouseEn, GuestHouseBn, "5151", "hospitality", "coxs_bazar_sadar", 10000, 12500, VacancyKinds.Wage,
                "8:00-16:00, 6 days", ["women_friendly", "written_contract"], [("HOS-002", 2, true), ("HOS-003", 1, false)]),
            new(employerId, "Kitchen helper", "রান্নাঘরের সহকারী", GuestHouseEn, GuestHouseBn, "5151", "hospitality", "coxs_bazar_sadar", 10000, 11500, VacancyKinds.Wage,
                "8:00-16:00, 6 days", ["women_friendly", "written_contract"], [("HOS-004", 2, true)]),
            new(employerId, "Front desk assistant", "অভ্যর্থনা সহকারী", GuestHouseEn, GuestHouseBn, "5151", "hospitality", "coxs_bazar_sadar", 11000, 15000, VacancyKinds.Wage,
                "8:00-16:00, 6 days", ["women_friendly", "written_contract"], [("HOS-001", 2, true), ("HOS-002", 1, false)]),
        ];
        if (nascibEmployerId is { } nascib)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO employer (organisation_id, membership_number, trade_licence_number, contact_person, contact_email, address,
                                      sector_code, status, verified_at, verified_by, preferred_language, upazila_code)
                VALUES (@nascib, 'NASCIB-DEMO-017', 'TL-DEMO-2026-017', 'Demo Owner', 'nascib-employer@demo.jobmatch.local',
                        'Gorakghata fish ghat (demo)', 'fisheries', 'verified', now(), @verifiedBy, 'bn', 'maheshkhali')
                ON CONFLICT (organisation_id) DO NOTHING
                """, new { nascib, verifiedBy }, tx, cancellationToken: ct));
            vacancies.Add(new(nascib, "Dry-fish supplier (self-employed)", "শুঁটকি সরবরাহকারী (আত্মকর্মসংস্থান)",
                "Dry fish on your own racks and sell it to our yard. We buy every week at the market price and lend racks and nets.",
                "নিজের মাচায় মাছ শুকিয়ে আমাদের খোলায় বিক্রি করুন। আমরা প্রতি সপ্তাহে বাজারদরে কিনি এবং মাচা ও জাল ধার দিই।",
                "7511", "fisheries", "maheshkhali", 6000, 9000, VacancyKinds.Self, "Your own hours", ["women_friendly"], [("FSH-001", 2, true), ("FSH-002", 1, false)]));
            vacancies.Add(new(nascib, "Tailoring piece work (cooperative)", "দর্জির কাজ, পিস হিসেবে (সমবায়)",
                "Join a women's tailoring cooperative. Sew at home or at the centre and get paid for every piece.",
                "নারীদের একটি দর্জি সমবায়ে যোগ দিন। বাড়িতে বা কেন্দ্রে সেলাই করুন, প্রতিটি পিসের জন্য টাকা পাবেন।",
                "7531", "garments", "ukhia", 5000, 8000, VacancyKinds.Self, "Your own hours", ["women_friendly", "transport"], [("GAR-001", 2, true), ("GAR-006", 1, false)]));
        }

        var ids = new List<long>();
        foreach (var v in vacancies)
        {
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO vacancy (employer_id, title_en, title_bn, description_en, description_bn, isco08, sector_code, upazila_code, lat, lon,
                                     wage_min_bdt, wage_max_bdt, kind, openings, hours, facilities, closing_date, status, published_at)
                SELECT @Employer, @TitleEn, @TitleBn, @DescriptionEn, @DescriptionBn, @Isco08, @Sector, u.code, u.lat, u.lon,
                       @Min, @Max, @Kind, 2, @Hours, @Facilities, current_date + 45, 'open', now()
                FROM upazila u WHERE u.code = @Upazila
                RETURNING id
                """, v, tx, cancellationToken: ct));
            foreach (var (code, level, required) in v.Skills)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO vacancy_skill (vacancy_id, skill_id, min_level, required) SELECT @id, id, @level, @required FROM skill WHERE code = @code",
                    new { id, code, level, required }, tx, cancellationToken: ct));
            }
            await events.PublishedAsync(id, v.Employer, connection, tx, ct);
            ids.Add(id);
        }
        await tx.CommitAsync(ct);
        return ids;
    }
}
