using JobMatch.Notifications.Templates;
using Microsoft.Extensions.Options;
using MimeKit;

namespace JobMatch.Notifications;

/// <summary>Builds the MIME message: neutral sender, Message-ID from the notification id, text and HTML parts.</summary>
internal sealed class MailComposer(IOptions<SmtpOptions> smtp)
{
    public static string MessageIdFor(Guid notificationId) => $"{notificationId}@jobmatch";

    public MimeMessage Compose(Guid notificationId, Recipient recipient, RenderedEmail email)
    {
        var options = smtp.Value;
        var message = new MimeMessage
        {
            MessageId = MessageIdFor(notificationId),
            Date = DateTimeOffset.UtcNow,
            Subject = email.Subject,
            Body = new BodyBuilder { TextBody = email.Text, HtmlBody = email.Html }.ToMessageBody(),
        };
        message.From.Add(new MailboxAddress(options.FromName, options.From));
        // The address only, no display name: the outbox never holds names, and the mail needs none.
        message.To.Add(MailboxAddress.Parse(recipient.Address));
        message.Body.Headers.Replace(HeaderId.ContentLanguage, email.Language);
        message.Headers.Add("Auto-Submitted", "auto-generated");
        return message;
    }
}
