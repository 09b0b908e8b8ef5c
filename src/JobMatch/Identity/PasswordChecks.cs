using JobMatch.Web;
using Microsoft.AspNetCore.Identity;

namespace JobMatch.Identity;

/// <summary>
/// A new password typed twice on a form (self-registration, an invitation): the same validators as Identity's own,
/// answered as field errors (password, confirmPassword) in the reader's language rather than Identity's English text.
/// </summary>
internal static class PasswordChecks
{
    public static async Task CheckAsync(UserManager<AppUser> users, AppUser forUser, string? password, string? confirm, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(password))
        {
            errors.Add("password", "Required");
            return;
        }
        // Both problems at once (issue 16: every error next to its field): a short password typed twice differently
        // says so at both fields, not one per attempt.
        if (password != confirm) errors.Add("confirmPassword", "PasswordsDiffer");
        foreach (var validator in users.PasswordValidators)
        {
            foreach (var e in (await validator.ValidateAsync(users, forUser, password)).Errors)
            {
                errors.Add("password", e.Code == CommonPasswordValidator.ErrorCode ? "PasswordCommon" : "PasswordTooShort");
            }
        }
    }
}
