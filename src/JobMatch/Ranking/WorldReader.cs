using System.Globalization;

namespace JobMatch.Ranking;

/// <summary>
/// Reads a world folder (src/JobMatch/Ranking/README.md). Columns are found by name; the columns ranking uses are
/// required, the others (names, titles, employer, upazila, birth year) are optional. Empty numeric
/// fields mean "unknown" where the format allows it (location, wages, travel) and are errors elsewhere.
/// Every error names the file and line.
/// </summary>
internal static class WorldReader
{
    public static World Read(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new WorldFormatException($"{directory}: world folder not found.");
        }

        var skills = ReadSkills(CsvTable.Read(Path.Combine(directory, "skills.csv")));
        var seekerSkills = ReadSeekerSkills(CsvTable.Read(Path.Combine(directory, "seeker_skills.csv")));
        var seekers = ReadSeekers(CsvTable.Read(Path.Combine(directory, "seekers.csv")), seekerSkills);
        var vacancySkills = ReadVacancySkills(CsvTable.Read(Path.Combine(directory, "vacancy_skills.csv")));
        var vacancies = ReadVacancies(CsvTable.Read(Path.Combine(directory, "vacancies.csv")), vacancySkills);
        var outcomes = ReadOutcomes(CsvTable.Read(Path.Combine(directory, "outcomes.csv")));
        var candidatesFile = Path.Combine(directory, "candidates.csv");
        var candidates = File.Exists(candidatesFile) ? ReadCandidates(CsvTable.Read(candidatesFile)) : null;
        return new World(skills, seekers, vacancies, outcomes, candidates);
    }

    private static List<WorldSkill> ReadSkills(CsvTable t)
    {
        int code = t.Column("code"), sector = t.Column("sector");
        int? nameEn = t.OptionalColumn("name_en"), nameBn = t.OptionalColumn("name_bn");
        return t.Rows.Select(r => new WorldSkill(
            Key(t, r, code, "code"), Text(r, nameEn), Text(r, nameBn), r[sector].Trim())).ToList();
    }

    private static Dictionary<string, List<SkillHolding>> ReadSeekerSkills(CsvTable t)
    {
        int seeker = t.Column("seeker_ref"), code = t.Column("skill_code"), level = t.Column("level"),
            certified = t.Column("certified"), months = t.Column("months_experience");
        var bySeeker = new Dictionary<string, List<SkillHolding>>(StringComparer.Ordinal);
        foreach (var r in t.Rows)
        {
            var skill = new SkillHolding(
                Key(t, r, code, "skill_code"),
                Int(t, r, level, "level"),
                Flag(t, r, certified, "certified", whenEmpty: false),
                Number(t, r, months, "months_experience") ?? 0);
            GetOrAdd(bySeeker, Key(t, r, seeker, "seeker_ref")).Add(skill);
        }

        return bySeeker;
    }

    private static List<WorldSeeker> ReadSeekers(CsvTable t, Dictionary<string, List<SkillHolding>> skills)
    {
        int seekerRef = t.Column("seeker_ref"), lat = t.Column("lat"), lon = t.Column("lon"),
            gender = t.Column("gender"), education = t.Column("education_level"),
            wage = t.Column("expected_wage_bdt"), wants = t.Column("wants"),
            preferred = t.Column("preferred_sectors"), travel = t.Column("max_travel_km");
        int? upazila = t.OptionalColumn("upazila"), birthYear = t.OptionalColumn("birth_year");
        var seekers = new List<WorldSeeker>(t.Rows.Count);
        foreach (var r in t.Rows)
        {
            var id = Key(t, r, seekerRef, "seeker_ref");
            var profile = new SeekerRankingProfile(
                Number(t, r, lat, "lat"),
                Number(t, r, lon, "lon"),
                (int)(Number(t, r, education, "education_level") ?? 0),
                Number(t, r, wage, "expected_wage_bdt"),
                Kind(t, r, wants, "wants", WorkKind.Any),
                r[preferred].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Number(t, r, travel, "max_travel_km"),
                skills.TryGetValue(id, out var held) ? held : []);
            var birth = birthYear is { } b ? Lenient(r, b) : null;
            seekers.Add(new WorldSeeker(id, Text(r, upazila), r[gender].Trim().ToUpperInvariant(), (int?)birth, profile));
        }

        return seekers;
    }

    private static Dictionary<string, List<SkillRequirement>> ReadVacancySkills(CsvTable t)
    {
        int vacancy = t.Column("vacancy_ref"), code = t.Column("skill_code"), minLevel = t.Column("min_level"),
            required = t.Column("required");
        var byVacancy = new Dictionary<string, List<SkillRequirement>>(StringComparer.Ordinal);
        foreach (var r in t.Rows)
        {
            var ask = new SkillRequirement(
                Key(t, r, code, "skill_code"),
                (int)(Number(t, r, minLevel, "min_level") ?? 1),
                Flag(t, r, required, "required", whenEmpty: true));
            GetOrAdd(byVacancy, Key(t, r, vacancy, "vacancy_ref")).Add(ask);
        }

        return byVacancy;
    }

    private static List<WorldVacancy> ReadVacancies(CsvTable t, Dictionary<string, List<SkillRequirement>> skills)
    {
        int vacancyRef = t.Column("vacancy_ref"), sector = t.Column("sector"), lat = t.Column("lat"),
            lon = t.Column("lon"), wageMin = t.Column("wage_min_bdt"), wageMax = t.Column("wage_max_bdt"),
            type = t.Column("employment_type"), education = t.Column("min_education_level");
        int? employer = t.OptionalColumn("employer_ref"), title = t.OptionalColumn("title"),
            upazila = t.OptionalColumn("upazila"), openings = t.OptionalColumn("openings");
        var vacancies = new List<WorldVacancy>(t.Rows.Count);
        foreach (var r in t.Rows)
        {
            var id = Key(t, r, vacancyRef, "vacancy_ref");
            var profile = new VacancyProfile(
                r[sector].Trim(),
                Number(t, r, lat, "lat"),
                Number(t, r, lon, "lon"),
                Number(t, r, wageMin, "wage_min_bdt"),
                Number(t, r, wageMax, "wage_max_bdt"),
                Kind(t, r, type, "employment_type", WorkKind.Wage),
                (int)(Number(t, r, education, "min_education_level") ?? 0),
                skills.TryGetValue(id, out var asks) ? asks : []);
            var open = openings is { } o ? (int)(Lenient(r, o) ?? 1) : 1;
            vacancies.Add(new WorldVacancy(id, Text(r, employer), Text(r, title), Text(r, upazila), open, profile));
        }

        return vacancies;
    }

    private static List<WorldOutcome> ReadOutcomes(CsvTable t)
    {
        int vacancy = t.Column("vacancy_ref"), seeker = t.Column("seeker_ref"), outcome = t.Column("outcome");
        int? position = t.OptionalColumn("position"), randomized = t.OptionalColumn("randomized");
        return t.Rows.Select(r => new WorldOutcome(
                Key(t, r, vacancy, "vacancy_ref"),
                Key(t, r, seeker, "seeker_ref"),
                Outcomes.TryParse(r[outcome], out var o)
                    ? o
                    : throw Error(t, r, $"outcome '{r[outcome]}' is not one of not_selected, declined, shortlisted, interviewed, hired."),
                position is { } p ? Position(t, r, p) : null,
                randomized is { } z && Flag(t, r, z, "randomized", whenEmpty: false)))
            .ToList();
    }

    private static int? Position(CsvTable t, CsvRow r, int column) =>
        Number(t, r, column, "position") switch
        {
            null => null,
            >= 1 and var p when p == Math.Floor(p) => (int)p,
            var p => throw Error(t, r, $"column 'position': '{p}' is not a rank (1, 2, ...)."),
        };

    private static List<WorldCandidate> ReadCandidates(CsvTable t)
    {
        int vacancy = t.Column("vacancy_ref"), seeker = t.Column("seeker_ref");
        return t.Rows.Select(r => new WorldCandidate(Key(t, r, vacancy, "vacancy_ref"), Key(t, r, seeker, "seeker_ref"))).ToList();
    }

    private static string Key(CsvTable t, CsvRow r, int column, string name)
    {
        var value = r[column].Trim();
        return value.Length > 0 ? value : throw Error(t, r, $"column '{name}' is empty.");
    }

    private static string Text(CsvRow r, int? column) => column is { } c ? r[c].Trim() : "";

    private static double? Number(CsvTable t, CsvRow r, int column, string name)
    {
        var value = r[column].Trim();
        if (value.Length == 0)
        {
            return null;
        }

        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
            ? number
            : throw Error(t, r, $"column '{name}': '{value}' is not a number.");
    }

    /// <summary>For columns ranking does not use: an odd value is not worth failing a whole world for.</summary>
    private static double? Lenient(CsvRow r, int column) =>
        double.TryParse(r[column].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
            ? number
            : null;

    private static int Int(CsvTable t, CsvRow r, int column, string name) =>
        Number(t, r, column, name) is { } number
            ? (int)Math.Round(number)
            : throw Error(t, r, $"column '{name}' is empty.");

    private static bool Flag(CsvTable t, CsvRow r, int column, string name, bool whenEmpty) =>
        r[column].Trim().ToLowerInvariant() switch
        {
            "" => whenEmpty,
            "1" or "true" or "yes" => true,
            "0" or "false" or "no" => false,
            var other => throw Error(t, r, $"column '{name}': '{other}' is not 0 or 1."),
        };

    private static WorkKind Kind(CsvTable t, CsvRow r, int column, string name, WorkKind whenEmpty) =>
        r[column].Trim().ToLowerInvariant() switch
        {
            "" => whenEmpty,
            "any" => WorkKind.Any,
            "wage" => WorkKind.Wage,
            "self" => WorkKind.Self,
            var other => throw Error(t, r, $"column '{name}': '{other}' is not wage, self or any."),
        };

    private static WorldFormatException Error(CsvTable t, CsvRow r, string message) =>
        new($"{t.FileName} line {r.Line}: {message}");

    private static List<T> GetOrAdd<T>(Dictionary<string, List<T>> map, string key)
    {
        if (!map.TryGetValue(key, out var list))
        {
            list = [];
            map[key] = list;
        }

        return list;
    }
}
