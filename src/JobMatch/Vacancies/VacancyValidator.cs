using JobMatch.Web;
using static JobMatch.Web.TextInput;
using System.Text.RegularExpressions;

namespace JobMatch.Vacancies;

/// <summary>
/// Checks a vacancy the same way for the form, the API and the CSV import. Returns a <see cref="ValidVacancy"/>
/// only when there is no error, so nothing invalid reaches the database.
/// </summary>
internal static partial class VacancyValidator
{
    public const int MaxTitle = 200;
    public const int MaxDescription = 5000;
    public const int MaxShort = 200;
    public const int MaxSkills = 30;
    public const int MaxWage = 1_000_000;

    public static ValidVacancy? Validate(VacancyInput input, TaxonomySnapshot taxonomy, DateOnly today, FieldErrors errors)
    {
        var titleEn = Clean(input.TitleEn);
        var titleBn = Clean(input.TitleBn);
        if (titleEn is null && titleBn is null) errors.Add("titleEn", "TitleRequired");
        if (titleEn?.Length > MaxTitle) errors.Add("titleEn", "TooLong");
        if (titleBn?.Length > MaxTitle) errors.Add("titleBn", "TooLong");
        Storable(errors, "titleEn", titleEn);
        Storable(errors, "titleBn", titleBn);

        var descriptionEn = Clean(input.DescriptionEn);
        var descriptionBn = Clean(input.DescriptionBn);
        if (descriptionEn is null && descriptionBn is null) errors.Add("descriptionEn", "DescriptionRequired");
        if (descriptionEn?.Length > MaxDescription) errors.Add("descriptionEn", "TooLong");
        if (descriptionBn?.Length > MaxDescription) errors.Add("descriptionBn", "TooLong");
        Storable(errors, "descriptionEn", descriptionEn);
        Storable(errors, "descriptionBn", descriptionBn);

        var isco = Clean(input.Isco08);
        if (isco is null) errors.Add("isco08", "Required");
        else if (!IscoCode().IsMatch(isco)) errors.Add("isco08", "IscoInvalid");

        var sector = Clean(input.SectorCode);
        if (sector is null) errors.Add("sectorCode", "Required");
        else if (!taxonomy.SectorsByCode.ContainsKey(sector)) errors.Add("sectorCode", "UnknownSector", sector);

        var upazilaCode = Clean(input.UpazilaCode);
        UpazilaRef? upazila = null;
        if (upazilaCode is null) errors.Add("upazilaCode", "Required");
        else if (!taxonomy.UpazilasByCode.TryGetValue(upazilaCode, out upazila)) errors.Add("upazilaCode", "UnknownUpazila", upazilaCode);

        // Cox's Bazar district and its neighbourhood; a point outside is a typing mistake (or lat/lon swapped).
        if (input.Lat.HasValue != input.Lon.HasValue) errors.Add("lat", "LatLonTogether");
        else if (input.Lat is { } lat && input.Lon is { } lon && (lat is < 20.5 or > 22.5 || lon is < 91.5 or > 92.7))
        {
            errors.Add("lat", "LocationOutOfArea");
        }

        if (input.WageMinBdt is not { } wageMin) errors.Add("wageMinBdt", "Required");
        else if (wageMin is <= 0 or > MaxWage) errors.Add("wageMinBdt", "WageOutOfRange");
        if (input.WageMaxBdt is { } wageMax)
        {
            if (wageMax is <= 0 or > MaxWage) errors.Add("wageMaxBdt", "WageOutOfRange");
            else if (input.WageMinBdt is { } min && min > wageMax) errors.Add("wageMinBdt", "WageMinAboveMax");
        }

        var kind = Clean(input.Kind);
        if (kind is null) errors.Add("kind", "Required");
        else if (!VacancyKinds.All.Contains(kind)) errors.Add("kind", "UnknownKind", kind);

        if (input.Openings is not { } openings) errors.Add("openings", "Required");
        else if (openings is < 1 or > 1000) errors.Add("openings", "OpeningsOutOfRange");

        var hours = Clean(input.Hours);
        var shifts = Clean(input.Shifts);
        if (hours?.Length > MaxShort) errors.Add("hours", "TooLong");
        if (shifts?.Length > MaxShort) errors.Add("shifts", "TooLong");
        Storable(errors, "hours", hours);
        Storable(errors, "shifts", shifts);

        var facilities = (input.Facilities ?? []).Select(f => f.Trim()).Where(f => f.Length > 0).Distinct().ToArray();
        foreach (var unknown in facilities.Where(f => !VacancyFacilities.All.Contains(f)))
        {
            errors.Add("facilities", "UnknownFacility", unknown);
        }

        if (input.MinEducationLevel is { } education && taxonomy.EducationLevels.All(e => e.Level != education))
        {
            errors.Add("minEducationLevel", "UnknownEducationLevel");
        }

        if (input.ClosingDate is not { } closing) errors.Add("closingDate", "Required");
        else if (closing < today) errors.Add("closingDate", "ClosingDateInPast");
        else if (closing > today.AddYears(1)) errors.Add("closingDate", "ClosingDateTooFar");

        var skills = ValidateSkills(input.Skills ?? [], taxonomy, errors);

        if (!errors.IsEmpty) return null;
        return new ValidVacancy(titleEn, titleBn, descriptionEn, descriptionBn, isco!, sector!, upazilaCode!,
            input.Lat ?? upazila!.Lat, input.Lon ?? upazila!.Lon, input.WageMinBdt!.Value, input.WageMaxBdt, kind!,
            input.Openings!.Value, hours, shifts, facilities, input.MinEducationLevel, input.ClosingDate!.Value, skills);
    }

    private static List<ValidSkill> ValidateSkills(List<VacancySkillInput> skills, TaxonomySnapshot taxonomy, FieldErrors errors)
    {
        var valid = new List<ValidSkill>();
        if (skills.Count == 0) errors.Add("skills", "SkillsRequired");
        if (skills.Count > MaxSkills) errors.Add("skills", "TooManySkills");
        var seen = new HashSet<int>();
        foreach (var skill in skills)
        {
            var code = Clean(skill.Code);
            // The code in any case, or the skill's whole English or Bangla name (people know skills by name).
            if (taxonomy.FindSkill(code) is not { } known)
            {
                errors.Add("skills", "UnknownSkill", code ?? "");
                continue;
            }
            if (skill.MinLevel is not { } level || level is < 1 or > 4)
            {
                errors.Add("skills", "SkillLevelOutOfRange", known.Code);
                continue;
            }
            if (!seen.Add(known.Id))
            {
                errors.Add("skills", "DuplicateSkill", known.Code);
                continue;
            }
            valid.Add(new ValidSkill(known.Id, level, skill.Required));
        }
        return valid;
    }

    [GeneratedRegex("^[0-9]{4}$")]
    private static partial Regex IscoCode();
}
