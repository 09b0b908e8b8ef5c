using System.Globalization;
using Dapper;
using JobMatch.Csv;
using Npgsql;

namespace JobMatch.Skills;

/// <summary>
/// Loads the sectors, skills taxonomy, upazilas, skill levels and education levels from <c>data/*.csv</c> at
/// start-up. Rows are upserted by code in one transaction, so loading twice changes nothing.
/// </summary>
internal sealed class ReferenceData(NpgsqlDataSource db)
{
    public static string DefaultDirectory(IConfiguration configuration) =>
        configuration["JobMatch:SeedDirectory"] is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, "data");

    public async Task LoadAsync(string directory, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);

        var wageFloors = File.Exists(Path.Combine(directory, "sector_wage_floors.csv"))
            ? CsvReader.ReadWithHeader(Path.Combine(directory, "sector_wage_floors.csv"))
                .ToDictionary(r => r.Row["sector"], r => (int?)int.Parse(r.Row["min_monthly_wage_bdt"], CultureInfo.InvariantCulture))
            : [];

        foreach (var (_, row) in CsvReader.ReadWithHeader(Path.Combine(directory, "sectors.csv")))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO sector (code, name_en, name_bn, min_monthly_wage_bdt) VALUES (@code, @nameEn, @nameBn, @floor)
                ON CONFLICT (code) DO UPDATE SET name_en = EXCLUDED.name_en, name_bn = EXCLUDED.name_bn,
                    min_monthly_wage_bdt = EXCLUDED.min_monthly_wage_bdt
                """,
                new { code = row["code"], nameEn = row["name_en"], nameBn = row["name_bn"], floor = wageFloors.GetValueOrDefault(row["code"]) },
                tx, cancellationToken: ct));
        }

        foreach (var (_, row) in CsvReader.ReadWithHeader(Path.Combine(directory, "skills.csv")))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO skill (code, name_en, name_bn, sector_code, isco08) VALUES (@code, @nameEn, @nameBn, @sector, @isco08)
                ON CONFLICT (code) DO UPDATE SET name_en = EXCLUDED.name_en, name_bn = EXCLUDED.name_bn,
                    sector_code = EXCLUDED.sector_code, isco08 = EXCLUDED.isco08
                """,
                new { code = row["code"], nameEn = row["name_en"], nameBn = row["name_bn"], sector = row["sector"], isco08 = row["isco08"] },
                tx, cancellationToken: ct));
        }

        foreach (var (_, row) in CsvReader.ReadWithHeader(Path.Combine(directory, "upazilas.csv")))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO upazila (code, name_en, name_bn, lat, lon) VALUES (@code, @nameEn, @nameBn, @lat, @lon)
                ON CONFLICT (code) DO UPDATE SET name_en = EXCLUDED.name_en, name_bn = EXCLUDED.name_bn, lat = EXCLUDED.lat, lon = EXCLUDED.lon
                """,
                new
                {
                    code = row["code"], nameEn = row["name_en"], nameBn = row["name_bn"],
                    lat = double.Parse(row["lat"], CultureInfo.InvariantCulture), lon = double.Parse(row["lon"], CultureInfo.InvariantCulture),
                },
                tx, cancellationToken: ct));
        }

        var levels = Path.Combine(directory, "skill_levels.csv");
        if (File.Exists(levels))
        {
            foreach (var (_, row) in CsvReader.ReadWithHeader(levels))
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO skill_level (level, name_en, name_bn, descriptor_en, descriptor_bn)
                    VALUES (@level, @nameEn, @nameBn, @descriptorEn, @descriptorBn)
                    ON CONFLICT (level) DO UPDATE SET name_en = EXCLUDED.name_en, name_bn = EXCLUDED.name_bn,
                        descriptor_en = EXCLUDED.descriptor_en, descriptor_bn = EXCLUDED.descriptor_bn
                    """,
                    new
                    {
                        level = int.Parse(row["level"], CultureInfo.InvariantCulture), nameEn = row["name_en"], nameBn = row["name_bn"],
                        descriptorEn = row["descriptor_en"], descriptorBn = row["descriptor_bn"],
                    },
                    tx, cancellationToken: ct));
            }
        }

        var education = Path.Combine(directory, "education_levels.csv");
        if (File.Exists(education))
        {
            foreach (var (_, row) in CsvReader.ReadWithHeader(education))
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO education_level (level, name_en, name_bn) VALUES (@level, @nameEn, @nameBn)
                    ON CONFLICT (level) DO UPDATE SET name_en = EXCLUDED.name_en, name_bn = EXCLUDED.name_bn
                    """,
                    new { level = int.Parse(row["level"], CultureInfo.InvariantCulture), nameEn = row["name_en"], nameBn = row["name_bn"] },
                    tx, cancellationToken: ct));
            }
        }

        await tx.CommitAsync(ct);
    }
}
