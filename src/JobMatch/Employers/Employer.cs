namespace JobMatch.Employers;

internal sealed record EmployerChoice(Guid Id, string Name);

internal static class EmployerStatus
{
    public const string Pending = "pending";
    public const string Verified = "verified";
    public const string Suspended = "suspended";
}

internal static class Memberships
{
    public static readonly string[] All = ["chamber", "women_chamber", "nascib", "other"];
}

/// <summary>
/// The details an admin checks before verifying an employer, the same in its row and in the input that sets them, so
/// that they are declared once.
/// </summary>
internal abstract class EmployerDetails
{
    public string? MembershipNumber { get; set; }
    public string? TradeLicenceNumber { get; set; }
    public string? ContactPerson { get; set; }
    public string? ContactEmail { get; set; }
    public string? ContactPhone { get; set; }
    public string? Address { get; set; }
    public string? SectorCode { get; set; }
}

/// <summary>An employer: the organisation row joined with its details. Business data, but never logged.</summary>
internal sealed class EmployerRecord : EmployerDetails
{
    public Guid OrganisationId { get; set; }
    public string Name { get; set; } = "";
    public string Membership { get; set; } = "";
    public string Status { get; set; } = EmployerStatus.Pending;
    public string? SuspendedReason { get; set; }
    public DateTimeOffset? VerifiedAt { get; set; }
    public Guid? VerifiedBy { get; set; }
    public bool ChargesRecruitmentFee { get; set; }
    public string PreferredLanguage { get; set; } = "en";
    public long Version { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>False until the employer's details (what an admin checks) are filled in; drafts can exist before.</summary>
    public bool HasDetails { get; set; }
    /// <summary>Where the business is (asked by self-registration; empty for employers an admin created).</summary>
    public string? UpazilaCode { get; set; }
}

/// <summary>The employer profile fields an employer (or an admin creating one) may set.</summary>
internal sealed class EmployerInput : EmployerDetails
{
    public string? Name { get; set; }
    public string? Membership { get; set; }
    public bool ChargesRecruitmentFee { get; set; }
    public string? PreferredLanguage { get; set; }
    /// <summary>The version the edit was based on; a stale one answers 409. Not needed when creating.</summary>
    public long? Version { get; set; }
}

/// <summary>An admin creating an employer also creates its first sign-in account.</summary>
internal sealed class NewEmployerInput
{
    public EmployerInput Employer { get; set; } = new();
    /// <summary>The sign-in name of the employer's first user: an e-mail address or a Bangladeshi mobile number.</summary>
    public string? UserName { get; set; }
}

internal sealed record SuspendInput(string? Reason);
