using JobMatch.Seekers;

namespace JobMatch.Pages.CaseWork;

/// <summary>The profile as form fields (sectors as ticked codes, languages comma-separated), shared by registration and editing.</summary>
public sealed class ProfileForm
{
    public string? UpazilaCode { get; set; }
    public int? EducationLevel { get; set; }
    public string? Languages { get; set; } = "bn";
    public string? Literacy { get; set; }
    public string Wants { get; set; } = "any";
    public string[] PreferredSectors { get; set; } = [];
    public int? ExpectedWageBdt { get; set; }
    public int? MaxTravelKm { get; set; }
    public DateOnly? AvailableFrom { get; set; }
    public int? HoursPerWeek { get; set; }
    public string? Gender { get; set; }
    public int? BirthYear { get; set; }

    internal SeekerProfile ToProfile() => new()
    {
        UpazilaCode = string.IsNullOrWhiteSpace(UpazilaCode) ? null : UpazilaCode, EducationLevel = EducationLevel,
        Languages = Split(Languages), Literacy = string.IsNullOrWhiteSpace(Literacy) ? null : Literacy, Wants = Wants,
        PreferredSectors = PreferredSectors.Where(s => !string.IsNullOrWhiteSpace(s)).Distinct().ToArray(), ExpectedWageBdt = ExpectedWageBdt, MaxTravelKm = MaxTravelKm,
        AvailableFrom = AvailableFrom, HoursPerWeek = HoursPerWeek, Gender = string.IsNullOrWhiteSpace(Gender) ? null : Gender, BirthYear = BirthYear,
    };

    internal static ProfileForm From(SeekerProfile p) => new()
    {
        UpazilaCode = p.UpazilaCode, EducationLevel = p.EducationLevel, Languages = string.Join(", ", p.Languages), Literacy = p.Literacy,
        Wants = p.Wants, PreferredSectors = p.PreferredSectors ?? [], ExpectedWageBdt = p.ExpectedWageBdt, MaxTravelKm = p.MaxTravelKm,
        AvailableFrom = p.AvailableFrom, HoursPerWeek = p.HoursPerWeek, Gender = p.Gender, BirthYear = p.BirthYear,
    };

    internal static string[] Split(string? text) =>
        (text ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToArray();
}
