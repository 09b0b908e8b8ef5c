using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace JobMatch.Notifications;

/// <summary>
/// The <c>Smtp</c> section. With no <see cref="Host"/> (the embedded default) e-mails are written as .eml files to
/// the data folder instead of being sent.
/// </summary>
internal sealed class SmtpOptions
{
    public const string Section = "Smtp";

    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public string? User { get; set; }
    public string? Password { get; set; }
    /// <summary>The sender address. The sender name stays neutral: nothing that names an NGO or a programme (R24).</summary>
    public string From { get; set; } = "noreply@jobmatch.local";
    public string FromName { get; set; } = "JobMatch";
    public SecureSocketOptions SecureSocketOptions { get; set; } = SecureSocketOptions.Auto;
    public int TimeoutSeconds { get; set; } = 30;

    public bool Configured => !string.IsNullOrWhiteSpace(Host);
}

/// <summary>Refuses to start with an SMTP configuration that cannot work.</summary>
internal sealed class SmtpOptionsValidation : IValidateOptions<SmtpOptions>
{
    public ValidateOptionsResult Validate(string? name, SmtpOptions options)
    {
        var failures = new List<string>();
        if (!MailboxAddress.TryParse(options.From, out var from) || string.IsNullOrEmpty(from.Address) || !from.Address.Contains('@'))
        {
            failures.Add("Smtp:From must be an e-mail address.");
        }
        if (string.IsNullOrWhiteSpace(options.FromName)) failures.Add("Smtp:FromName must not be empty.");
        if (options.Configured)
        {
            if (options.Port is < 1 or > 65535) failures.Add("Smtp:Port must be between 1 and 65535.");
            if (!string.IsNullOrEmpty(options.User) && string.IsNullOrEmpty(options.Password)) failures.Add("Smtp:Password is needed with Smtp:User.");
            if (options.TimeoutSeconds is < 1 or > 600) failures.Add("Smtp:TimeoutSeconds must be between 1 and 600.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
