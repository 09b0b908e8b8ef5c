using JobMatch.Notifications;
using JobMatch.Notifications.Templates;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace JobMatch.Tests.Notifications;

/// <summary>The e-mail templates render in English and Bangla, say what the issue asks, and nothing sensitive.</summary>
public sealed class EmailTemplateTests
{
    private static readonly Uri BaseUrl = new("https://jobmatch.example/");

    // Words that would tell a reader of a shared phone that the recipient is a survivor or has a case (R24).
    private static readonly string[] Forbidden =
        ["traffick", "survivor", "victim", "shelter", "ngo", "counsel", "case", "rescue", "পাচার", "ভুক্তভোগী", "আশ্রয়", "কেস", "উদ্ধার"];

    internal static EmailContext Context(string language)
    {
        var factory = new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance);
        return new EmailContext(new StringLocalizer<EmailText>(factory), language, BaseUrl);
    }

    [Theory]
    [InlineData("en", "New candidates for your vacancy", "7 new candidates have been proposed")]
    [InlineData("bn", "আপনার শূন্যপদের জন্য নতুন প্রার্থী", "7 জন নতুন প্রার্থী")]
    public void EmployerDigest_NamesVacancyCountAndShortlistLink_InRecipientLanguage(string language, string subject, string countSentence)
    {
        const long vacancy = 4711;
        var email = EmailTemplates.EmployerDigest.Render(new EmployerDigestArgs([new DigestVacancy(vacancy, "Sewing machine operator", null, 7)]), Context(language));

        Assert.Equal(subject, email.Subject);
        Assert.Equal(language, email.Language);
        Assert.Contains(countSentence, email.Text);
        Assert.Contains("Sewing machine operator", email.Text);
        Assert.Contains($"https://jobmatch.example/employer/vacancies/{vacancy}/shortlist", email.Text);
        Assert.Contains($"href=\"https://jobmatch.example/employer/vacancies/{vacancy}/shortlist\"", email.Html);
        Assert.Contains($"lang=\"{language}\"", email.Html);
    }

    [Theory]
    [InlineData("en", "Place of work: Ukhia", "BDT 12,500 a month")]
    [InlineData("bn", "কাজের স্থান: উখিয়া", "মাসে 12,500 টাকা")]
    public void SeekerOffer_NamesEmployerVacancyWagePlaceAndHowToAnswer(string language, string place, string wage)
    {
        var email = EmailTemplates.SeekerOffer.Render(
            new SeekerOfferArgs(1, "Inani Garments Ltd", "Tailor", 12_500, "Ukhia", "উখিয়া"), Context(language));

        Assert.Contains("Inani Garments Ltd", email.Text);
        Assert.Contains("Tailor", email.Text);
        Assert.Contains(wage, email.Text);
        Assert.Contains(place, email.Text);
        Assert.Contains("https://jobmatch.example/me/offers", email.Text);
        Assert.Contains(language == "bn" ? "গ্রহণ বা প্রত্যাখ্যান" : "accept or decline", email.Text);
        Assert.Contains("https://jobmatch.example/me/offers", email.Html);
    }

    [Fact]
    public void EveryTemplate_SaysNothingSensitive_AndLinksCarryNoTokens()
    {
        var samples = new (IEmailTemplate Template, object Args)[]
        {
            (EmailTemplates.Generic, new GenericNotificationArgs("/me/offers")),
            (EmailTemplates.EmployerDigest, new EmployerDigestArgs([new DigestVacancy(1, "Cook", "বাবুর্চি", 2), new DigestVacancy(2, "Waiter", null, 1)])),
            (EmailTemplates.SeekerOffer, new SeekerOfferArgs(2, "Sea Pearl Hotel", "Cook", 9_000, "Cox's Bazar Sadar", "কক্সবাজার সদর")),
            (EmailTemplates.SeekerOffer, new SeekerOfferArgs(3, "Own shop", "Tailoring business", null, "Ukhia", "উখিয়া", "দর্জির ব্যবসা")),
            (EmailTemplates.RetentionCheckin, new RetentionCheckinArgs(4, 3, "Cook", "বাবুর্চি", "JS-7K3M9Q", new DateOnly(2026, 1, 15))),
            (EmailTemplates.AccountExistsNotice, new AccountExistsNoticeArgs(Guid.NewGuid())),
        };
        foreach (var (template, args) in samples)
        {
            foreach (var language in new[] { "en", "bn" })
            {
                var json = System.Text.Json.JsonSerializer.Serialize(args, args.GetType(), Outbox.ArgsJson);
                var email = template.Render(json, Context(language));
                Assert.Equal(language, email.Language);
                foreach (var text in new[] { email.Subject, email.Text, email.Html })
                {
                    foreach (var word in Forbidden)
                    {
                        Assert.False(text.Contains(word, StringComparison.OrdinalIgnoreCase), $"{template.Name}/{language} contains '{word}'");
                    }
                    Assert.DoesNotContain(ExtractLinks(text), link => link.Contains('?'));
                }
                Assert.Contains("JobMatch", email.Html);
            }
        }
    }

    [Fact]
    public void Html_EscapesValuesFromTheDatabase()
    {
        var email = EmailTemplates.EmployerDigest.Render(new EmployerDigestArgs([new DigestVacancy(1, "<script>alert(1)</script> & co", null, 1)]), Context("en"));

        Assert.DoesNotContain("<script>", email.Html);
        Assert.Contains("&lt;script&gt;", email.Html);
        Assert.Contains("<script>alert(1)</script> & co", email.Text); // plain text stays plain
    }

    [Theory]
    [InlineData("/me/offers?token=abc")]
    [InlineData("//evil.example/x")]
    [InlineData("https://evil.example/")]
    public void Links_AreRefused_WhenTheyAreNotPlainSitePaths(string path)
    {
        Assert.Throws<ArgumentException>(() => EmailTemplates.Generic.Render(new GenericNotificationArgs(path), Context("en")));
    }

    [Fact]
    public void DeliveryFailed_NamesOnlyThePseudonymousReference()
    {
        var email = EmailTemplates.DeliveryFailed.Render(new DeliveryFailedArgs(Guid.NewGuid(), "JS-7K3M9Q"), Context("bn"));

        Assert.Contains("JS-7K3M9Q", email.Text);
        Assert.Contains("https://jobmatch.example/casework", email.Text);
    }

    private static IEnumerable<string> ExtractLinks(string text) =>
        System.Text.RegularExpressions.Regex.Matches(text, "https?://[^\\s\"<]+").Select(m => m.Value);
}
