using JobMatch.Web;
using System.Security.Cryptography;
using Dapper;
using JobMatch.Identity;
using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace JobMatch.Employers;

/// <summary>
/// An admin creates an employer: the organisation, its (pending) details and a first sign-in account with a
/// one-time password the admin hands over. Verification stays a separate, audited step.
/// </summary>
internal sealed class EmployerAccounts(NpgsqlDataSource db, UserAccounts accounts, UserManager<AppUser> users, Vacancies.Taxonomy taxonomy)
{
    public sealed record Created(Guid OrganisationId, string UserName, string InitialPassword);

    /// <summary>
    /// The one operation behind the admin's new-employer page and the API. Null with the reasons in
    /// <paramref name="errors"/> when the details are invalid, or (details valid) when the sign-in name is not usable
    /// or already taken.
    /// </summary>
    public async Task<Created?> CreateAsync(EmployerInput input, string? userNameText, Web.FieldErrors errors, CancellationToken ct)
    {
        if (EmployerValidator.Validate(input, await taxonomy.LoadAsync(ct), errors) is not { } v) return null;
        var userName = Web.TextInput.Clean(userNameText) is { } text ? LoginModel.NormalizeUserName(text) : null;
        if (userName is null) errors.Add("userName", "Required");
        else if (!userName.Contains('@') && !userName.StartsWith("+880", StringComparison.Ordinal)) errors.Add("userName", "UserNameInvalid");
        else if (await users.FindByNameAsync(userName) is not null) errors.Add("userName", "UserNameTaken");
        if (!errors.IsEmpty) return null;

        var organisationId = Guid.CreateVersion7();
        await using (var connection = await db.OpenConnectionAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO organisation (id, kind, name, membership) VALUES (@organisationId, 'employer', @Name, @Membership)",
                new { organisationId, v.Name, v.Membership }, tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO employer (organisation_id, membership_number, trade_licence_number, contact_person, contact_email,
                    contact_phone, address, sector_code, charges_recruitment_fee, preferred_language)
                VALUES (@organisationId, @MembershipNumber, @TradeLicenceNumber, @ContactPerson, @ContactEmail,
                    @ContactPhone, @Address, @SectorCode, @ChargesRecruitmentFee, @PreferredLanguage)
                """,
                new
                {
                    organisationId, v.MembershipNumber, v.TradeLicenceNumber, v.ContactPerson, v.ContactEmail, v.ContactPhone,
                    v.Address, v.SectorCode, v.ChargesRecruitmentFee, v.PreferredLanguage,
                }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
        }

        var password = GeneratePassword();
        await accounts.CreateUserAsync(userName!, password, Roles.Employer, organisationId, v.ContactPerson, v.PreferredLanguage,
            phone: userName!.StartsWith('+') ? userName : null);
        return new Created(organisationId, userName, password);
    }

    private static string GeneratePassword()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
        return string.Create(16, alphabet, (span, chars) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = chars[RandomNumberGenerator.GetInt32(chars.Length)];
        });
    }
}
