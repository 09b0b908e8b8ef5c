using System.Globalization;
using System.Text;

namespace JobMatch.Ranking;

/// <summary>Writes a world folder in world-format.md: UTF-8 without BOM, RFC 4180 quoting, LF line ends.</summary>
internal static class WorldWriter
{
    public static void Write(World world, string directory)
    {
        Directory.CreateDirectory(directory);
        WriteFile(directory, "skills.csv", ["code", "name_en", "name_bn", "sector"],
            world.Skills.Select(s => new[] { s.Code, s.NameEn, s.NameBn, s.Sector }));
        WriteFile(directory, "seekers.csv",
            ["seeker_ref", "upazila", "lat", "lon", "gender", "birth_year", "education_level", "expected_wage_bdt",
             "wants", "preferred_sectors", "max_travel_km"],
            world.Seekers.Select(s => new[]
            {
                s.SeekerRef, s.Upazila, Num(s.Profile.Lat, 5), Num(s.Profile.Lon, 5), s.Gender, Num(s.BirthYear),
                Num(s.Profile.EducationLevel), Num(s.Profile.ExpectedWageBdt), Kind(s.Profile.Wants),
                string.Join(';', s.Profile.PreferredSectors), Num(s.Profile.MaxTravelKm, 1),
            }));
        WriteFile(directory, "seeker_skills.csv", ["seeker_ref", "skill_code", "level", "certified", "months_experience"],
            world.Seekers.SelectMany(s => s.Profile.Skills.Select(k => new[]
            {
                s.SeekerRef, k.Code, Num(k.Level), k.Certified ? "1" : "0", Num(k.MonthsExperience),
            })));
        WriteFile(directory, "vacancies.csv",
            ["vacancy_ref", "employer_ref", "title", "sector", "upazila", "lat", "lon", "wage_min_bdt", "wage_max_bdt",
             "employment_type", "openings", "min_education_level"],
            world.Vacancies.Select(v => new[]
            {
                v.VacancyRef, v.EmployerRef, v.Title, v.Profile.Sector, v.Upazila, Num(v.Profile.Lat, 5),
                Num(v.Profile.Lon, 5), Num(v.Profile.WageMinBdt), Num(v.Profile.WageMaxBdt),
                Kind(v.Profile.EmploymentType), Num(v.Openings), Num(v.Profile.MinEducationLevel),
            }));
        WriteFile(directory, "vacancy_skills.csv", ["vacancy_ref", "skill_code", "min_level", "required"],
            world.Vacancies.SelectMany(v => v.Profile.Skills.Select(k => new[]
            {
                v.VacancyRef, k.Code, Num(k.MinLevel), k.Required ? "1" : "0",
            })));
        if (world.IsLogged)
        {
            WriteFile(directory, "outcomes.csv", ["vacancy_ref", "seeker_ref", "outcome", "position", "randomized"],
                world.Outcomes.Select(o => new[]
                {
                    o.VacancyRef, o.SeekerRef, Outcomes.ToCsv(o.Outcome), Num(o.Position), o.Randomized ? "1" : "0",
                }));
        }
        else
        {
            WriteFile(directory, "outcomes.csv", ["vacancy_ref", "seeker_ref", "outcome"],
                world.Outcomes.Select(o => new[] { o.VacancyRef, o.SeekerRef, Outcomes.ToCsv(o.Outcome) }));
        }

        if (world.Candidates is { } candidates)
        {
            WriteFile(directory, "candidates.csv", ["vacancy_ref", "seeker_ref"],
                candidates.Select(c => new[] { c.VacancyRef, c.SeekerRef }));
        }
    }

    public static void WriteFile(string directory, string fileName, string[] header, IEnumerable<string[]> rows)
    {
        using var writer = new StreamWriter(Path.Combine(directory, fileName), append: false, new UTF8Encoding(false));
        writer.NewLine = "\n";
        writer.WriteLine(Line(header));
        foreach (var row in rows)
        {
            writer.WriteLine(Line(row));
        }
    }

    public static string Line(IEnumerable<string> fields) => string.Join(',', fields.Select(Quote));

    /// <summary>Quotes a field only when it must: it holds a comma, a quote, a line break or edge spaces.</summary>
    public static string Quote(string field)
    {
        var needsQuotes = field.AsSpan().IndexOfAny(",\"\r\n") >= 0
                          || (field.Length > 0 && (char.IsWhiteSpace(field[0]) || char.IsWhiteSpace(field[^1])));
        return needsQuotes ? $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : field;
    }

    private static string Num(double? value, int decimals = 0) =>
        value is { } v ? Math.Round(v, decimals).ToString(CultureInfo.InvariantCulture) : "";

    private static string Kind(WorkKind kind) => kind switch
    {
        WorkKind.Wage => "wage",
        WorkKind.Self => "self",
        _ => "any",
    };
}
