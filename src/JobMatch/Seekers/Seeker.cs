using JobMatch.Privacy;

namespace JobMatch.Seekers;

/// <summary>The matching profile (plain columns). A class with setters because Dapper materialises it (arrays).</summary>
internal class SeekerProfile
{
    public string? UpazilaCode { get; set; }
    public int? EducationLevel { get; set; }
    public string[] Languages { get; set; } = [];
    public string? Literacy { get; set; }
    public string Wants { get; set; } = "any";
    public string[] PreferredSectors { get; set; } = [];
    public int? ExpectedWageBdt { get; set; }
    public int? MaxTravelKm { get; set; }
    public DateOnly? AvailableFrom { get; set; }
    public int? HoursPerWeek { get; set; }
    public string? Gender { get; set; }
    public int? BirthYear { get; set; }
}

/// <summary>Do-not-match rules, set only by case workers.</summary>
internal sealed class DoNotMatchRules
{
    public string[] BlockedSectors { get; set; } = [];
    public Guid[] BlockedEmployerIds { get; set; } = [];
    public string[] BlockedUpazilas { get; set; } = [];
}

/// <summary>
/// A seeker row as case work reads it (profile, rules, status, version); identity is separate. It extends the profile
/// so that the profile's columns are declared once; <see cref="Profile"/> still hands out a plain copy.
/// </summary>
internal sealed class SeekerRow : SeekerProfile
{
    public long Id { get; set; }
    public string Reference { get; set; } = "";
    public Guid AgencyId { get; set; }
    public Guid? UserId { get; set; }
    public string Status { get; set; } = "";
    public string[] BlockedSectors { get; set; } = [];
    public Guid[] BlockedEmployerIds { get; set; } = [];
    public string[] BlockedUpazilas { get; set; } = [];
    public long Version { get; set; }
    public DateTime CreatedAt { get; set; }

    public SeekerProfile Profile => new()
    {
        UpazilaCode = UpazilaCode, EducationLevel = EducationLevel, Languages = Languages, Literacy = Literacy, Wants = Wants,
        PreferredSectors = PreferredSectors, ExpectedWageBdt = ExpectedWageBdt, MaxTravelKm = MaxTravelKm,
        AvailableFrom = AvailableFrom, HoursPerWeek = HoursPerWeek, Gender = Gender, BirthYear = BirthYear,
    };

    public DoNotMatchRules Rules => new() { BlockedSectors = BlockedSectors, BlockedEmployerIds = BlockedEmployerIds, BlockedUpazilas = BlockedUpazilas };
}

/// <summary>Decrypted identity; only case work and <see cref="SeekerContact"/> produce it, and each read is audited.</summary>
internal sealed record SeekerIdentity(string FullName, string FirstName, string? Phone, string? Email, string? Address, DateOnly? DateOfBirth, string PreferredLanguage);

internal sealed record RegisterSeekerRequest(
    string FullName, string? FirstName, string? Phone, string? Email, string? Address, DateOnly? DateOfBirth,
    string? PreferredLanguage, SeekerProfile? Profile, string? MatchingConsentMethod, bool ConfirmDuplicatePhone = false,
    bool ConfirmDuplicateEmail = false);

internal sealed record SeekerSkillView(string SkillCode, string NameEn, string NameBn, int Level, string Source,
    string? CertifiedBy, DateOnly? CertifiedOn, int MonthsExperience);

internal static class SeekerStatus
{
    public const string Active = "active";
    public const string Placed = "placed";
    public const string Erased = "erased";
}

/// <summary>
/// The seekers' encrypted columns: the name is the associated data of their values (a value moved to another field
/// won't decrypt), the size is what each value is padded to, so its length says nothing (issue 14).
/// </summary>
internal static class EncryptedFields
{
    public static readonly EncryptedField FullName = new("seeker.full_name", FieldSize.Short);
    public static readonly EncryptedField FirstName = new("seeker.first_name", FieldSize.Short);
    public static readonly EncryptedField Phone = new("seeker.phone", FieldSize.Short);
    public static readonly EncryptedField Email = new("seeker.email", FieldSize.Short);
    public static readonly EncryptedField Address = new("seeker.address", FieldSize.Short);
    public static readonly EncryptedField DateOfBirth = new("seeker.date_of_birth", FieldSize.Fixed);
    public static readonly EncryptedField SurvivorStatus = new("case.survivor_status", FieldSize.Fixed);
    public static readonly EncryptedField ReferralSource = new("case.referral_source", FieldSize.Long);
    public static readonly EncryptedField CaseNote = new("case.note", FieldSize.Long);
}
