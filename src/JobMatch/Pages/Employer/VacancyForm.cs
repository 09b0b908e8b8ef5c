using JobMatch.Web;
using System.Globalization;
using JobMatch.Vacancies;
using Microsoft.AspNetCore.Http;

namespace JobMatch.Pages.Employer;

/// <summary>
/// The vacancy form as typed: every field a string, so a wrong number is shown back exactly as typed with its
/// message. Skills come as plain checkboxes (<c>skill</c> = code) with <c>level-CODE</c> and <c>must-CODE</c> beside them.
/// </summary>
internal sealed class VacancyForm : VacancyText
{
    public string? Lat { get; set; }
    public string? Lon { get; set; }
    public string? WageMinBdt { get; set; }
    public string? WageMaxBdt { get; set; }
    public string? Kind { get; set; }
    public string? Openings { get; set; }
    public string? Hours { get; set; }
    public string? Shifts { get; set; }
    public string[] Facilities { get; set; } = [];
    public string? MinEducationLevel { get; set; }
    public string? ClosingDate { get; set; }
    public long Version { get; set; }
    public List<VacancySkillInput> Skills { get; set; } = [];

    public static List<VacancySkillInput> ReadSkills(IFormCollection form)
    {
        var skills = form["skill"].Where(c => !string.IsNullOrWhiteSpace(c)).Distinct().Select(code => new VacancySkillInput
        {
            Code = code,
            MinLevel = Level(form, code),
            Required = form["must-" + code] == "true",
        }).ToList();
        // The skill found by name in the picker (addSkill) joins the list whether "Add" or Save was pressed: an employer
        // who picks a skill and saves at once must not lose it. Lowest level and must-have until changed in the list.
        var picked = form[AddSkillField].ToString().Trim();
        if (picked.Length > 0 && !skills.Any(s => string.Equals(s.Code, picked, StringComparison.OrdinalIgnoreCase)))
        {
            skills.Add(new VacancySkillInput { Code = picked, MinLevel = Level(form, picked), Required = true });
        }
        return skills;
    }

    /// <summary>The form field of the skill picker on the vacancy form.</summary>
    public const string AddSkillField = "addSkill";

    private static int Level(IFormCollection form, string? code) =>
        int.TryParse(form["level-" + code], NumberStyles.Integer, CultureInfo.InvariantCulture, out var level) ? level : 1;

    /// <summary>The typed input for the validator; numbers and dates that do not parse are reported here.</summary>
    public VacancyInput ToInput(FieldErrors errors)
    {
        int? Int(string field, string? text)
        {
            if (!TextInput.TryInt(text, out var value)) errors.Add(field, "NotANumber");
            return value;
        }
        if (!TextInput.TryDouble(Lat, out var lat)) errors.Add("lat", "NotANumber");
        if (!TextInput.TryDouble(Lon, out var lon)) errors.Add("lat", "NotANumber");
        if (!TextInput.TryDate(ClosingDate, out var closing)) errors.Add("closingDate", "NotADate");
        return new VacancyInput
        {
            TitleEn = TitleEn, TitleBn = TitleBn, DescriptionEn = DescriptionEn, DescriptionBn = DescriptionBn, Isco08 = TextInput.Digits(Isco08),
            SectorCode = SectorCode, UpazilaCode = UpazilaCode, Lat = lat, Lon = lon,
            WageMinBdt = Int("wageMinBdt", WageMinBdt), WageMaxBdt = Int("wageMaxBdt", WageMaxBdt), Kind = Kind,
            Openings = Int("openings", Openings), Hours = Hours, Shifts = Shifts, Facilities = Facilities,
            MinEducationLevel = Int("minEducationLevel", MinEducationLevel), ClosingDate = closing, Skills = Skills, Version = Version,
        };
    }

    public static VacancyForm From(VacancyRecord v) => new()
    {
        TitleEn = v.TitleEn, TitleBn = v.TitleBn, DescriptionEn = v.DescriptionEn, DescriptionBn = v.DescriptionBn, Isco08 = v.Isco08,
        SectorCode = v.SectorCode, UpazilaCode = v.UpazilaCode,
        Lat = v.Lat?.ToString(CultureInfo.InvariantCulture), Lon = v.Lon?.ToString(CultureInfo.InvariantCulture),
        WageMinBdt = v.WageMinBdt?.ToString(CultureInfo.InvariantCulture), WageMaxBdt = v.WageMaxBdt?.ToString(CultureInfo.InvariantCulture),
        Kind = v.Kind, Openings = v.Openings.ToString(CultureInfo.InvariantCulture), Hours = v.Hours, Shifts = v.Shifts,
        Facilities = v.Facilities, MinEducationLevel = v.MinEducationLevel?.ToString(CultureInfo.InvariantCulture),
        ClosingDate = v.Closing?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Version = v.Version,
        Skills = v.Skills.Select(s => new VacancySkillInput { Code = s.Code, MinLevel = s.MinLevel, Required = s.Required }).ToList(),
    };
}
