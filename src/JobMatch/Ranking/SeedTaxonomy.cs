namespace JobMatch.Ranking;

/// <summary>
/// The project's own skills taxonomy, sectors and upazilas as the simulator needs them, read from the
/// seed CSVs in <c>data/</c> (<c>skills.csv</c>: code,name_en,name_bn,sector,isco08; <c>sectors.csv</c>:
/// code,name_en,name_bn; <c>upazilas.csv</c>: code,name_en,name_bn,lat,lon). Not the database's reference data that
/// vacancies are checked against (<c>Vacancies.Taxonomy</c>), which is loaded from the same files.
/// </summary>
internal sealed record SeedTaxonomy(
    IReadOnlyList<TaxonomySkill> Skills,
    IReadOnlyList<TaxonomySector> Sectors,
    IReadOnlyList<TaxonomyUpazila> Upazilas)
{
    public static SeedTaxonomy Load(string dataDirectory)
    {
        var skills = CsvTable.Read(Path.Combine(dataDirectory, "skills.csv"));
        var sectors = CsvTable.Read(Path.Combine(dataDirectory, "sectors.csv"));
        var upazilas = CsvTable.Read(Path.Combine(dataDirectory, "upazilas.csv"));
        int code = skills.Column("code"), nameEn = skills.Column("name_en"), sector = skills.Column("sector");
        int? nameBn = skills.OptionalColumn("name_bn");
        int sCode = sectors.Column("code"), sName = sectors.Column("name_en");
        int? sNameBn = sectors.OptionalColumn("name_bn");
        int uCode = upazilas.Column("code"), uName = upazilas.Column("name_en"), lat = upazilas.Column("lat"),
            lon = upazilas.Column("lon");
        var taxonomy = new SeedTaxonomy(
            skills.Rows.Select(r => new TaxonomySkill(r[code].Trim(), r[nameEn].Trim(), nameBn is { } b ? r[b].Trim() : "", r[sector].Trim())).ToList(),
            sectors.Rows.Select(r => new TaxonomySector(r[sCode].Trim(), r[sName].Trim(), sNameBn is { } b ? r[b].Trim() : "")).ToList(),
            upazilas.Rows.Select(r => new TaxonomyUpazila(
                r[uCode].Trim(), r[uName].Trim(), Coordinate(upazilas, r, lat), Coordinate(upazilas, r, lon))).ToList());
        if (taxonomy.Skills.Count == 0 || taxonomy.Sectors.Count == 0 || taxonomy.Upazilas.Count == 0)
        {
            throw new WorldFormatException($"{dataDirectory}: skills, sectors and upazilas must each have at least one row.");
        }

        var sectorCodes = taxonomy.Sectors.Select(s => s.Code).ToHashSet(StringComparer.Ordinal);
        if (taxonomy.Skills.FirstOrDefault(s => !sectorCodes.Contains(s.Sector)) is { } orphan)
        {
            throw new WorldFormatException($"{dataDirectory}: skill '{orphan.Code}' names sector '{orphan.Sector}', which sectors.csv does not have.");
        }

        return taxonomy;
    }

    /// <summary>
    /// The seed data folder: <c>data/</c> next to the executable (the build copies it there), else the
    /// nearest <c>data/</c> holding <c>skills.csv</c> above the current directory (a repository checkout).
    /// </summary>
    public static string FindDataDirectory()
    {
        var nextToApp = Path.Combine(AppContext.BaseDirectory, "data");
        if (File.Exists(Path.Combine(nextToApp, "skills.csv")))
        {
            return nextToApp;
        }

        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "data");
            if (File.Exists(Path.Combine(candidate, "skills.csv")))
            {
                return candidate;
            }
        }

        throw new WorldFormatException(
            $"No taxonomy found: neither {nextToApp} nor a data/ folder above {Directory.GetCurrentDirectory()} has skills.csv. Pass --data DIR.");
    }

    private static double Coordinate(CsvTable table, CsvRow row, int column) =>
        double.TryParse(row[column].Trim(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new WorldFormatException($"{table.FileName} line {row.Line}: '{row[column]}' is not a coordinate.");
}

internal sealed record TaxonomySkill(string Code, string NameEn, string NameBn, string Sector);

internal sealed record TaxonomySector(string Code, string NameEn, string NameBn);

internal sealed record TaxonomyUpazila(string Code, string NameEn, double Lat, double Lon);
