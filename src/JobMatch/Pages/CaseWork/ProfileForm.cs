using JobMatch.Seekers;

namespace JobMatch.Pages.CaseWork;

/// <summary>
/// The profile as form fields, shared by registration and editing: the profile's own properties (so its fields are
/// declared once), with sectors as ticked codes and languages typed into one box, comma-separated (which binds as one
/// element; <see cref="ToProfile"/> splits it). Bengali until changed.
/// </summary>
internal sealed class ProfileForm : SeekerProfile
{
    public ProfileForm() => Languages = ["bn"];

    /// <summary>The languages as the one box shows them.</summary>
    public string LanguagesText => string.Join(", ", Languages ?? []);

    internal SeekerProfile ToProfile() => new()
    {
        UpazilaCode = string.IsNullOrWhiteSpace(UpazilaCode) ? null : UpazilaCode, EducationLevel = EducationLevel,
        Languages = Split(LanguagesText), Literacy = string.IsNullOrWhiteSpace(Literacy) ? null : Literacy, Wants = Wants,
        PreferredSectors = PreferredSectors.Where(s => !string.IsNullOrWhiteSpace(s)).Distinct().ToArray(), ExpectedWageBdt = ExpectedWageBdt, MaxTravelKm = MaxTravelKm,
        AvailableFrom = AvailableFrom, HoursPerWeek = HoursPerWeek, Gender = string.IsNullOrWhiteSpace(Gender) ? null : Gender, BirthYear = BirthYear,
    };

    internal static ProfileForm From(SeekerProfile p) => new()
    {
        UpazilaCode = p.UpazilaCode, EducationLevel = p.EducationLevel, Languages = p.Languages, Literacy = p.Literacy,
        Wants = p.Wants, PreferredSectors = p.PreferredSectors ?? [], ExpectedWageBdt = p.ExpectedWageBdt, MaxTravelKm = p.MaxTravelKm,
        AvailableFrom = p.AvailableFrom, HoursPerWeek = p.HoursPerWeek, Gender = p.Gender, BirthYear = p.BirthYear,
    };

    internal static string[] Split(string? text) =>
        (text ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToArray();
}
