using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Localization;

namespace JobMatch.Sms;

/// <summary>Marker for the SMS texts in SmsText.resx (English) and SmsText.bn.resx (Bangla).</summary>
public sealed class SmsText;

/// <summary>An offer SMS: the job and the employer (what the seeker is being offered) and the answer code.</summary>
internal sealed record SmsOfferArgs(long MatchId, string TitleEn, string? TitleBn, string EmployerName, string Code);

/// <summary>The reminder before the answer code expires.</summary>
internal sealed record SmsReminderArgs(long MatchId, string TitleEn, string? TitleBn, string Code);

/// <summary>The confirmation after an offer was answered on the web (the same words as the reply to an SMS answer).</summary>
internal sealed record SmsAnswerConfirmationArgs(long MatchId, bool Accepted);

/// <summary>A retention check-in after a hire: a friendly word, nothing to answer.</summary>
internal sealed record SmsCheckinArgs(long CheckinId);

/// <summary>
/// SMS texts, rendered in the recipient's language when sending. Texts are neutral (they never mention the agency,
/// case work or anyone's situation), carry no link and no sign-in token, and only what the seeker already knows:
/// the job, the employer and the code. A text that would take more than <see cref="SmsLength.MaxParts"/> SMS is
/// shortened by cutting the job title and employer name, never the instructions.
/// </summary>
internal sealed class SmsTemplates(IStringLocalizer<SmsText> text)
{
    public const string Offer = "sms_offer";
    public const string Reminder = "sms_offer_reminder";
    public const string Checkin = "sms_retention_checkin";
    public const string AnswerConfirmation = "sms_answer_confirmation";

    public static readonly string[] Names = [Offer, Reminder, Checkin, AnswerConfirmation];

    public string Render(string template, string argsJson, string language) => template switch
    {
        Offer => RenderOffer(Read<SmsOfferArgs>(argsJson), language),
        Reminder => RenderReminder(Read<SmsReminderArgs>(argsJson), language),
        Checkin => Word("Checkin", language),
        AnswerConfirmation => Word(Read<SmsAnswerConfirmationArgs>(argsJson).Accepted ? "Accepted" : "Declined", language),
        _ => throw new InvalidOperationException($"Unknown SMS template '{template}'."),
    };

    public string RenderOffer(SmsOfferArgs a, string language) =>
        Fit(language, [Title(a.TitleEn, a.TitleBn, language), a.EmployerName], v => Format("Offer", language, v[0], v[1], Digits(a.Code, language)));

    private string RenderReminder(SmsReminderArgs a, string language) =>
        Fit(language, [Title(a.TitleEn, a.TitleBn, language)], v => Format("Reminder", language, v[0], Digits(a.Code, language)));

    /// <summary>A fixed text in the language (the confirmations and the neutral reply).</summary>
    public string Word(string key, string language)
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(language == "en" ? "en" : "bn");
        try
        {
            var value = text[key];
            if (value.ResourceNotFound) throw new InvalidOperationException($"SMS text '{key}' is missing.");
            return value.Value;
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    private string Format(string key, string language, params object[] args) => string.Format(CultureInfo.InvariantCulture, Word(key, language), args);

    /// <summary>Renders, cutting the longest variable part (with "…") until the text fits in the allowed parts.</summary>
    private static string Fit(string language, string[] values, Func<string[], string> render)
    {
        var current = values.Select(v => v.Trim()).ToArray();
        var rendered = render(current);
        while (!SmsLength.Fits(rendered))
        {
            var longest = Array.IndexOf(current, current.MaxBy(v => v.Length));
            if (current[longest].Length <= 4) throw new InvalidOperationException("The SMS text does not fit even with its values cut.");
            // "…" is not in the GSM alphabet: an English text would turn UCS-2 and hold fewer characters.
            current[longest] = current[longest][..(current[longest].Length - 4)].TrimEnd() + (language == "en" ? "..." : "…");
            rendered = render(current);
        }
        return rendered;
    }

    private static string Title(string en, string? bn, string language) => language == "bn" && !string.IsNullOrWhiteSpace(bn) ? bn : en;

    /// <summary>The code in Bangla digits for a Bangla text (either kind of digit is accepted in the reply).</summary>
    public static string Digits(string code, string language) =>
        language == "bn" ? string.Concat(code.Select(c => char.IsAsciiDigit(c) ? (char)('০' + (c - '0')) : c)) : code;

    private static T Read<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Notifications.Outbox.ArgsJson) ?? throw new JsonException("No SMS arguments.");
}
