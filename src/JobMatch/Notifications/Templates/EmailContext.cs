using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.Extensions.Localization;

namespace JobMatch.Notifications.Templates;

/// <summary>
/// What a template renders with: the recipient's language, the words in that language, and the site's public
/// address for links. Links are paths on the site that need sign-in; they never carry tokens.
/// </summary>
internal sealed class EmailContext(IStringLocalizer<EmailText> text, string language, Uri publicBaseUrl)
{
    public string Language { get; } = language == "bn" ? "bn" : "en";

    /// <summary>False when the recipient's language is not known (e.g. an invitee with no account yet): write both.</summary>
    public bool LanguageKnown { get; } = language is "en" or "bn";

    /// <summary>
    /// A link that only exists while this one e-mail is sent (an invitation's), made by the recipient's resolver;
    /// the one exception to "links carry no tokens", because such a mail is the way in for someone with no account.
    /// </summary>
    public string? OneTimeLink { get; init; }

    /// <summary>The same recipient and link, in <paramref name="other"/> (for a mail in both languages).</summary>
    public EmailContext In(string other) => new(text, other, publicBaseUrl) { OneTimeLink = OneTimeLink };

    public CultureInfo Culture => CultureInfo.GetCultureInfo(Language);

    /// <summary>The sentence <paramref name="key"/> in the recipient's language.</summary>
    public string this[string key]
    {
        get
        {
            var previous = CultureInfo.CurrentUICulture;
            CultureInfo.CurrentUICulture = Culture;
            try
            {
                var value = text[key];
                if (value.ResourceNotFound) throw new InvalidOperationException($"E-mail text '{key}' is missing.");
                return value.Value;
            }
            finally
            {
                CultureInfo.CurrentUICulture = previous;
            }
        }
    }

    /// <summary>The sentence with its arguments; a count may choose its plural form (<c>{0:plural:…|…}</c>, see <see cref="Web.Plurals"/>).</summary>
    public string Format(string key, params object[] args) => Web.Plurals.Format(Culture, Culture, this[key], args);

    /// <summary>An absolute link to a path on the site. Query strings are refused: links carry no tokens (R24).</summary>
    public string Link(string path)
    {
        if (!path.StartsWith('/') || path.StartsWith("//", StringComparison.Ordinal) || path.Contains('?') || path.Contains('#'))
        {
            throw new ArgumentException("E-mail links are plain site paths.", nameof(path));
        }
        return new Uri(publicBaseUrl, path).ToString();
    }

    public EmailBuilder Begin(string subject) => new(this, subject);
}

/// <summary>Builds the plain-text and HTML bodies side by side, so they always say the same thing.</summary>
internal sealed class EmailBuilder(EmailContext context, string subject)
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);
    private readonly StringBuilder _text = new();
    private readonly StringBuilder _html = new();

    public EmailBuilder Paragraph(string sentence)
    {
        _text.Append(sentence).Append("\n\n");
        _html.Append("<p style=\"margin:0 0 16px\">").Append(Html.Encode(sentence)).Append("</p>\n");
        return this;
    }

    public EmailBuilder Facts(params (string Label, string Value)[] facts)
    {
        _html.Append("<table role=\"presentation\" style=\"border-collapse:collapse;margin:0 0 16px\">\n");
        foreach (var (label, value) in facts)
        {
            _text.Append(label).Append(": ").Append(value).Append('\n');
            _html.Append("<tr><th style=\"text-align:left;padding:4px 12px 4px 0;font-weight:normal;color:#555\">")
                .Append(Html.Encode(label)).Append("</th><td style=\"padding:4px 0;font-weight:bold\">")
                .Append(Html.Encode(value)).Append("</td></tr>\n");
        }
        _html.Append("</table>\n");
        _text.Append('\n');
        return this;
    }

    public EmailBuilder Button(string label, string path) => AppendButton(label, context.Link(path));

    /// <summary>The <see cref="EmailContext.OneTimeLink"/> as a button; a mail without one cannot be rendered.</summary>
    public EmailBuilder OneTimeButton(string label)
    {
        var link = context.OneTimeLink ?? throw new InvalidOperationException("This e-mail needs a one-time link.");
        var query = link.IndexOf('?');
        // The path goes through the same check as every link (a site path); only the query is the link's own.
        return AppendButton(label, query < 0 ? context.Link(link) : context.Link(link[..query]) + link[query..]);
    }

    private EmailBuilder AppendButton(string label, string url)
    {
        _text.Append(label).Append(": ").Append(url).Append("\n\n");
        _html.Append("<p style=\"margin:0 0 16px\"><a href=\"").Append(Html.Encode(url))
            .Append("\" style=\"display:inline-block;padding:10px 16px;background:#1f5f8b;color:#fff;text-decoration:none;border-radius:4px\">")
            .Append(Html.Encode(label)).Append("</a></p>\n");
        return this;
    }

    /// <param name="footerKey">Why the mail came (the default says "because you have an account").</param>
    public RenderedEmail Build(string footerKey = "Footer")
    {
        var footer = context[footerKey];
        var text = _text.ToString() + "--\n" + footer + "\n";
        var html = $"""
            <!DOCTYPE html>
            <html lang="{context.Language}">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{Html.Encode(subject)}</title></head>
            <body style="margin:0;padding:16px;font-family:'Noto Sans Bengali','Noto Sans',Arial,sans-serif;font-size:16px;line-height:1.5;color:#222">
            <div style="max-width:560px;margin:0 auto">
            <p style="margin:0 0 16px;font-size:20px;font-weight:bold;color:#1f5f8b">JobMatch</p>
            {_html}<p style="margin:24px 0 0;font-size:13px;color:#666">{Html.Encode(footer)}</p>
            </div>
            </body>
            </html>
            """;
        return new RenderedEmail(subject, text, html, context.Language);
    }
}
