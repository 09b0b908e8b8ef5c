using System.Text.Json.Serialization;

namespace JobMatch.Vacancies;

internal static class VacancyStatus
{
    public const string Draft = "draft";
    public const string Open = "open";
    public const string Filled = "filled";
    public const string Closed = "closed";
}

internal static class VacancyKinds
{
    public const string Wage = "wage";
    public const string Apprenticeship = "apprenticeship";
    /// <summary>A self-employment opportunity, e.g. a supplier or cooperative place.</summary>
    public const string Self = "self";

    public static readonly string[] All = [Wage, Apprenticeship, Self];
}

internal static class VacancyFacilities
{
    public static readonly string[] All = ["women_friendly", "childcare", "transport", "accommodation", "written_contract"];
}

/// <summary>
/// A vacancy's words and codes, the same in its row, in the API's input and in the employer's form (which each add
/// their own typed fields), so that they are declared once.
/// </summary>
internal abstract class VacancyText
{
    public string? TitleEn { get; set; }
    public string? TitleBn { get; set; }
    public string? DescriptionEn { get; set; }
    public string? DescriptionBn { get; set; }
    public string? Isco08 { get; set; }
    public string? SectorCode { get; set; }
    public string? UpazilaCode { get; set; }
}

/// <summary>A vacancy row. A class with setters because Dapper materialises it (arrays defeat positional records).</summary>
internal sealed class VacancyRecord : VacancyText
{
    public long Id { get; set; }
    public Guid EmployerId { get; set; }
    public double? Lat { get; set; }
    public double? Lon { get; set; }
    public int? WageMinBdt { get; set; }
    public int? WageMaxBdt { get; set; }
    public string Kind { get; set; } = VacancyKinds.Wage;
    public int Openings { get; set; }
    public string? Hours { get; set; }
    public string? Shifts { get; set; }
    public string[] Facilities { get; set; } = [];
    public int? MinEducationLevel { get; set; }
    [JsonIgnore] public DateTime? ClosingDate { get; set; }
    public string Status { get; set; } = VacancyStatus.Draft;
    public DateTimeOffset? PublishedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public long Version { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<VacancySkillRecord> Skills { get; set; } = [];

    public string? Title(bool bangla) => bangla ? TitleBn ?? TitleEn : TitleEn ?? TitleBn;
    [JsonPropertyName("closingDate")] public DateOnly? Closing => ClosingDate is { } d ? DateOnly.FromDateTime(d) : null;
}

internal sealed class VacancySkillRecord
{
    public long VacancyId { get; set; }
    public int SkillId { get; set; }
    public string Code { get; set; } = "";
    public string NameEn { get; set; } = "";
    public string NameBn { get; set; } = "";
    public int MinLevel { get; set; }
    public bool Required { get; set; }
}

/// <summary>What an employer (or the CSV import) sends to create or change a vacancy. Only these fields can be set.</summary>
internal sealed class VacancyInput : VacancyText
{
    public double? Lat { get; set; }
    public double? Lon { get; set; }
    public int? WageMinBdt { get; set; }
    public int? WageMaxBdt { get; set; }
    public string? Kind { get; set; }
    public int? Openings { get; set; }
    public string? Hours { get; set; }
    public string? Shifts { get; set; }
    public string[]? Facilities { get; set; }
    public int? MinEducationLevel { get; set; }
    public DateOnly? ClosingDate { get; set; }
    public List<VacancySkillInput>? Skills { get; set; }
    /// <summary>The version the edit was based on (required on update; a stale one answers 409).</summary>
    public long? Version { get; set; }
}

internal sealed class VacancySkillInput
{
    public string? Code { get; set; }
    public int? MinLevel { get; set; }
    public bool Required { get; set; }
}

/// <summary>A vacancy that passed validation: codes resolved, text trimmed, location defaulted.</summary>
internal sealed record ValidVacancy(
    string? TitleEn, string? TitleBn, string? DescriptionEn, string? DescriptionBn, string Isco08, string SectorCode,
    string UpazilaCode, double Lat, double Lon, int WageMinBdt, int? WageMaxBdt, string Kind, int Openings, string? Hours,
    string? Shifts, string[] Facilities, int? MinEducationLevel, DateOnly ClosingDate, IReadOnlyList<ValidSkill> Skills);

internal sealed record ValidSkill(int SkillId, int MinLevel, bool Required);
