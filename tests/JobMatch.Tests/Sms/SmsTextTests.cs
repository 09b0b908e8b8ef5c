using JobMatch.Sms;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace JobMatch.Tests.Sms;

/// <summary>What a reply means, how many SMS a text takes, and that every SMS text fits in three parts in both languages.</summary>
public sealed class SmsTextTests
{
    private static readonly SmsTemplates Templates = new(new StringLocalizer<SmsText>(
        new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance)));

    [Theory]
    [InlineData("YES 4821", true, "4821")]
    [InlineData("yes4821", true, "4821")]
    [InlineData("  Yes, 4821 ", true, "4821")]
    [InlineData("হ্যাঁ ৪৮২১", true, "4821")]
    [InlineData("হ্যা 4821", true, "4821")]
    [InlineData("4821 হ্যাঁ", true, "4821")]
    [InlineData("না ৪৮২১", false, "4821")]
    [InlineData("NO 4821", false, "4821")]
    public void Parse_ReadsTheAnswerAndCode_WhenTheReplyIsAYesOrNoWithFourDigits(string text, bool accept, string code) =>
        Assert.Equal(new SmsAnswer.Parsed(accept, code), SmsAnswer.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("YES")]
    [InlineData("YES 482")]
    [InlineData("YES 48210")]
    [InlineData("MAYBE 4821")]
    [InlineData("YES 4821 <script>")]
    [InlineData("হ্যাঁ না 4821")]
    public void Parse_ReturnsNull_WhenTheReplyIsNotAnAnswer(string text) => Assert.Null(SmsAnswer.Parse(text));

    [Theory]
    [InlineData(160, 'a', 1)]
    [InlineData(161, 'a', 2)]
    [InlineData(306, 'a', 2)]
    [InlineData(307, 'a', 3)]
    [InlineData(70, 'ক', 1)]
    [InlineData(71, 'ক', 2)]
    [InlineData(134, 'ক', 2)]
    [InlineData(135, 'ক', 3)]
    [InlineData(202, 'ক', 4)]
    public void Parts_CountsLikeTheNetwork_WhenTextIsGsmOrUcs2(int length, char c, int parts) =>
        Assert.Equal(parts, SmsLength.Parts(new string(c, length)));

    [Theory]
    [InlineData("en")]
    [InlineData("bn")]
    public void OfferText_FitsInThreeParts_AndKeepsTheCodeAndConsentSentence_WhenTitleAndEmployerAreVeryLong(string language)
    {
        var text = Templates.RenderOffer(new SmsOfferArgs(1, new string('T', 300), new string('দ', 300), new string('E', 300), "4821"), language);
        Assert.True(SmsLength.Parts(text) <= SmsLength.MaxParts, $"{SmsLength.Parts(text)} parts");
        Assert.Contains(SmsTemplates.Digits("4821", language), text);
        Assert.Contains(language == "bn" ? "নাম ও ফোন পাবেন" : "gets your name and phone", text);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("bn")]
    public void EveryFixedText_IsOneSms_AndNeutral(string language)
    {
        foreach (var key in new[] { "Accepted", "Declined", "Checkin", "NotUnderstood" })
        {
            var text = Templates.Word(key, language);
            Assert.Equal(1, SmsLength.Parts(text));
            foreach (var word in new[] { "traffick", "agency", "case", "survivor", "পাচার", "সংস্থা" }) Assert.DoesNotContain(word, text, StringComparison.OrdinalIgnoreCase);
        }
    }
}
