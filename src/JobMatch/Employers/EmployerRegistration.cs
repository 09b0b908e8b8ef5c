using JobMatch.Web;
using System.Security.Cryptography;
using Dapper;
using JobMatch.Audit;
using JobMatch.Identity;
using JobMatch.Vacancies;
using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace JobMatch.Employers;

/// <summary>
/// A business applies to join (issue 17): its organisation and pending employer row, and an employer sign-in that
/// can keep drafts but cannot publish until the chamber of the claimed body (or, with no body, the platform admin)
/// verifies it. The sign-in name is generated, never the contact's phone or e-mail: a "that name is taken" answer
/// would tell anyone whether a phone number already has an account, and job seekers sign in with theirs.
/// </summary>
internal sealed class EmployerRegistration(NpgsqlDataSource db, UserAccounts accounts, UserManager<AppUser> users, AuditLog audit)
{
    public const string RegisteredAction = "employer_registered";

    public sealed record Registered(Guid OrganisationId, AppUser User);

    /// <summary>Null with field errors when the password is weak or the trade licence number is already registered.</summary>
    public async Task<Registered?> RegisterAsync(EmployerValidator.Valid v, string? upazilaCode, string? password, string? confirm,
        FieldErrors errors, CancellationToken ct)
    {
        var userName = "biz-" + RandomLetters(8);
        var probe = new AppUser { Id = Guid.CreateVersion7(), UserName = userName, Role = Roles.Employer, DisplayName = v.ContactPerson };
        if (string.IsNullOrEmpty(password)) errors.Add("password", "Required");
        else if (password != confirm) errors.Add("confirmPassword", "PasswordsDiffer");
        else
        {
            foreach (var validator in users.PasswordValidators)
            {
                var result = await validator.ValidateAsync(users, probe, password);
                foreach (var e in result.Errors) errors.Add("password", e.Code == CommonPasswordValidator.ErrorCode ? "PasswordCommon" : "PasswordTooShort");
            }
        }
        if (!errors.IsEmpty) return null;

        var organisationId = Guid.CreateVersion7();
        await using (var connection = await db.OpenConnectionAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            // Two applications with the same licence at once: the second waits here and then finds the first.
            var key = LicenceKey(v.TradeLicenceNumber);
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtext('trade_licence:' || @key))",
                new { key }, tx, cancellationToken: ct));
            var taken = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                """
                SELECT EXISTS (SELECT 1 FROM employer
                               WHERE upper(regexp_replace(trade_licence_number, '[^A-Za-z0-9]', '', 'g')) = @key)
                """, new { key }, tx, cancellationToken: ct));
            if (taken)
            {
                errors.Add("tradeLicenceNumber", "TradeLicenceTaken");
                return null;
            }
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO organisation (id, kind, name, membership) VALUES (@organisationId, 'employer', @Name, @Membership)",
                new { organisationId, v.Name, v.Membership }, tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO employer (organisation_id, membership_number, trade_licence_number, contact_person, contact_email,
                    contact_phone, address, sector_code, charges_recruitment_fee, preferred_language, upazila_code)
                VALUES (@organisationId, @MembershipNumber, @TradeLicenceNumber, @ContactPerson, @ContactEmail,
                    @ContactPhone, @Address, @SectorCode, @ChargesRecruitmentFee, @PreferredLanguage, @upazilaCode)
                """,
                new
                {
                    organisationId, v.MembershipNumber, v.TradeLicenceNumber, v.ContactPerson, v.ContactEmail, v.ContactPhone,
                    v.Address, v.SectorCode, v.ChargesRecruitmentFee, v.PreferredLanguage, upazilaCode,
                }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
        }

        // Identity's store writes the account on its own connection, which cannot see an uncommitted organisation, so
        // the account comes second; if it fails, the organisation goes again: nothing half-written stays.
        try
        {
            var user = await accounts.CreateUserAsync(userName, password!, Roles.Employer, organisationId, v.ContactPerson, v.PreferredLanguage);
            await audit.WriteAsync(RegisteredAction, $"employer:{organisationId}", ct, user.Id);
            return new Registered(organisationId, user);
        }
        catch
        {
            await using var connection = await db.OpenConnectionAsync(CancellationToken.None);
            await connection.ExecuteAsync("""
                DELETE FROM employer WHERE organisation_id = @organisationId;
                DELETE FROM organisation WHERE id = @organisationId;
                """, new { organisationId });
            throw;
        }
    }

    /// <summary>"TL/CXB-0012 34" and "tlcxb001234" are the same licence.</summary>
    public static string LicenceKey(string licence) => new(licence.Where(char.IsAsciiLetterOrDigit).Select(char.ToUpperInvariant).ToArray());

    private static string RandomLetters(int length)
    {
        // No digits, so the sign-in page never mistakes the name for a phone number; no look-alike letters.
        const string alphabet = "abcdefghjkmnpqrstuvwxyz";
        return string.Create(length, alphabet, (span, chars) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = chars[RandomNumberGenerator.GetInt32(chars.Length)];
        });
    }
}
