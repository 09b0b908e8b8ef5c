namespace JobMatch.Seekers;

/// <summary>The matching profile (plain columns). A class with setters because Dapper materialises it (arrays).</summary>
internal sealed class SeekerProfile
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

/// <summary>A seeker row as case work reads it (profile, rules, status, version); identity is separate.</summary>
internal sealed class SeekerRow
{
    public long Id { get; set; }
    public string Reference { get; set; } = "";
    public Guid AgencyId { get; set; }
    public Guid? UserId { get; set; }
    public string Status { get; set; } = "";
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
    string? PreferredLanguage, SeekerProfile? Profile, string? MatchingConsentMethod, bool ConfirmDuplicatePhone = false);

internal sealed record SeekerSkillView(string SkillCode, string NameEn, string NameBn, int Level, string Source,
    string? CertifiedBy, DateOnly? CertifiedOn, int MonthsExperience);

internal static class SeekerStatus
{
    public const string Active = "active";
    public const string Placed = "placed";
    public const string Erased = "erased";
}

/// <summary>Field names used as associated data of encrypted values (a value moved to another field won't decrypt).</summary>
internal static class EncryptedFields
{
    public const string FullName = "seeker.full_name";
    public const string FirstName = "seeker.first_name";
    public const string Phone = "seeker.phone";
    public const string Email = "seeker.email";
    public const string Address = "seeker.address";
    public const string DateOfBirth = "seeker.date_of_birth";
    public const string SurvivorStatus = "case.survivor_status";
    public const string ReferralSource = "case.referral_source";
    public const string CaseNote = "case.note";
}
