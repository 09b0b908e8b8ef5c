using Dapper;
using JobMatch.Audit;
using JobMatch.Identity;
using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace JobMatch.Seekers;

/// <summary>
/// A case worker sets (or resets) a seeker's password. The first time, this creates the seeker's own sign-in
/// account (role job_seeker, no organisation) named by the normalised phone number or the e-mail address, and
/// links it through <c>seeker.user_id</c>. The account's display name is the reference, never the person's name.
/// </summary>
internal sealed class SeekerAccounts(NpgsqlDataSource db, UserManager<AppUser> users, UserAccounts accounts, SeekerContact contact, AuditLog audit)
{
    public async Task<Dictionary<string, string[]>> SetPasswordAsync(SeekerRow seeker, string password, bool useEmail, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (password is not { Length: >= 10 and <= 128 }) errors["password"] = ["The password needs 10 to 128 characters."];
        if (errors.Count > 0) return errors;

        if (seeker.UserId is { } existing && await users.FindByIdAsync(existing.ToString()) is { } user)
        {
            var token = await users.GeneratePasswordResetTokenAsync(user);
            var reset = await users.ResetPasswordAsync(user, token, password);
            if (!reset.Succeeded) errors["password"] = reset.Errors.Select(e => e.Description).ToArray();
            else await audit.WriteAsync("seeker_password_reset", SeekerReference.Subject(seeker.Reference), ct);
            return errors;
        }

        var details = await contact.ReadAsync(seeker.Id, "case_work", ct);
        var userName = useEmail ? details?.Email : details?.Phone;
        if (string.IsNullOrEmpty(userName))
        {
            errors[useEmail ? "email" : "phone"] = [useEmail ? "The seeker has no e-mail address on record." : "The seeker has no phone number on record."];
            return errors;
        }
        if (await users.FindByNameAsync(userName) is not null)
        {
            errors["userName"] = ["This phone number or e-mail address already signs in to another account."];
            return errors;
        }
        AppUser created;
        try
        {
            created = await accounts.CreateUserAsync(userName, password, Roles.JobSeeker, null, seeker.Reference, details!.PreferredLanguage);
        }
        catch (InvalidOperationException)
        {
            // Identity refused the password or the name; its message may repeat the name, so it is not passed on.
            errors["password"] = ["The password was not accepted. Use at least 10 characters."];
            return errors;
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE seeker SET user_id = @userId WHERE id = @seekerId", new { userId = created.Id, seekerId = seeker.Id }, cancellationToken: ct));
        await audit.WriteAsync("seeker_account_created", SeekerReference.Subject(seeker.Reference), ct, connection: connection);
        return errors;
    }
}
