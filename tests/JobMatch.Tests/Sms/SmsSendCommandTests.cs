using System.Globalization;
using JobMatch.Sms;

namespace JobMatch.Tests.Sms;

/// <summary>
/// The operator's <c>sms-send</c> verb, parsed and run as on the command line, through the real gateway: Bangla
/// arrives intact (UCS-2), a long text is split into concatenated parts of 67 characters that join back to the text,
/// and a text over 3 parts is refused before anything is sent (Kannel would cut it without saying so).
/// </summary>
[Collection(KannelCollection.Name)]
public sealed class SmsSendCommandTests(KannelFixture fixture)
{
    private static string NewPhone() => "01712" + Random.Shared.Next(100000, 999999).ToString(CultureInfo.InvariantCulture);

    private async Task<(int Exit, string Output, string Error)> SendAsync(string to, string text)
    {
        var settings = KannelFixture.Settings(fixture.Gateway)
            .Where(s => s.Key.StartsWith("Sms:Kannel:", StringComparison.Ordinal))
            .Select(s => $"--{s.Key}={s.Value}");
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await JobMatch.Commands.Verb.InvokeAsync(SmsSendCommand.Create(), ["--to", to, "--text", text, .. settings], output, error);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>The parts the phone received, as fakesmsc printed them ("udh &lt;header&gt; data &lt;payload&gt;" for each part of a long text).</summary>
    private int PartsTo(string international) =>
        File.ReadLines(Path.Combine(fixture.Gateway.RunDirectory, "fakesmsc.out"))
            .Count(l => l.Contains("Got message", StringComparison.Ordinal) && l.Contains($" {international} udh ", StringComparison.Ordinal));

    [KannelFact]
    public async Task SmsSend_DeliversBanglaIntact_WhenTheTextFitsOneSms()
    {
        var phone = NewPhone();
        var text = $"JobMatch পরীক্ষা: হ্যাঁ {SmsTemplates.Digits(Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture), "bn")} — ঠিক আছে।";

        var (exit, output, error) = await SendAsync(phone, text);

        Assert.True(exit == 0, output + error);
        Assert.Contains("UCS-2", output);
        Assert.Contains("1 part(s)", output);
        Assert.Contains("Accepted", output);
        var received = await fixture.Gateway.WaitForAsync("880" + phone[1..], _ => true);
        Assert.Equal("ucs-2", received.Type);
        Assert.Equal(text, received.Text);
        Assert.Equal(0, PartsTo("880" + phone[1..]));
    }

    [KannelFact]
    public async Task SmsSend_SplitsALongBanglaTextIntoThreeParts_ThatJoinBackToTheText()
    {
        var phone = NewPhone();
        var international = "880" + phone[1..];
        // 150 characters: 67 + 67 + 16 in UCS-2.
        var text = string.Concat(Enumerable.Repeat("কাজের প্রস্তাব ", 10));
        Assert.Equal(150, text.Length);

        var (exit, output, error) = await SendAsync(phone, text);

        Assert.True(exit == 0, output + error);
        Assert.Contains("150 characters", output);
        Assert.Contains("3 part(s)", output);
        var received = await fixture.Gateway.WaitForAsync(international, _ => true);
        Assert.Equal(text, received.Text);
        Assert.Equal(3, PartsTo(international));
    }

    [KannelFact]
    public async Task SmsSend_RefusesWithExitCode2_AndSendsNothing_WhenTheTextTakesMoreThanThreeParts()
    {
        var phone = NewPhone();
        var text = new string('ক', 3 * 67 + 1);

        var (exit, output, error) = await SendAsync(phone, text);

        Assert.Equal(2, exit);
        Assert.Contains("more than 3 parts", error);
        Assert.DoesNotContain("Sending through", output);
        Assert.Equal(0, fixture.Gateway.CountTo("880" + phone[1..]));
    }
}
