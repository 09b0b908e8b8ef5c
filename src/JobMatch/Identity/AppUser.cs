namespace JobMatch.Identity;

/// <summary>A sign-in account. A class with setters (not a record) because Dapper materialises it.</summary>
internal sealed class AppUser
{
    public Guid Id { get; set; }
    public string UserName { get; set; } = "";
    public string NormalizedUserName { get; set; } = "";
    public string? Email { get; set; }
    public string? NormalizedEmail { get; set; }
    public bool EmailConfirmed { get; set; }
    public string? PhoneNumber { get; set; }
    public string? PasswordHash { get; set; }
    public string SecurityStamp { get; set; } = "";
    public string ConcurrencyStamp { get; set; } = Guid.NewGuid().ToString();
    public bool LockoutEnabled { get; set; } = true;
    public DateTimeOffset? LockoutEnd { get; set; }
    public int AccessFailedCount { get; set; }
    public bool TwoFactorEnabled { get; set; }
    public string? AuthenticatorKey { get; set; }
    public string Role { get; set; } = "";
    public Guid? OrganisationId { get; set; }
    public string DisplayName { get; set; } = "";
    public string PreferredLanguage { get; set; } = "en";
    public bool Disabled { get; set; }
}
