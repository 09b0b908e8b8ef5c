using System.CommandLine;
using JobMatch.Commands;
using Microsoft.Extensions.Options;

namespace JobMatch.Sms;

/// <summary>
/// <c>sms-send --to NUMBER --text TEXT</c>: sends one SMS through the configured gateway (or writes it to the SMS
/// folder when none is configured) and prints what happened: the first thing to run when setting up a gateway.
/// The text is checked like the app's own: at most <see cref="SmsLength.MaxParts"/> parts, because the gateway
/// would cut a longer one without saying so. Exit codes: 0 accepted, 1 refused or unreachable, 2 bad arguments.
/// </summary>
internal static class SmsSendCommand
{
    public static Command Create()
    {
        var to = new Option<string>("--to") { Description = "A Bangladeshi mobile number, e.g. 01711000001 or +8801711000001", Required = true };
        var text = new Option<string>("--text") { Description = "The text (at most 3 SMS parts)", Required = true };
        var command = new Command("sms-send", "Sends one SMS through the configured gateway (or the SMS folder) and prints what happened") { to, text }.WithSettings();
        command.SetAction(async (r, ct) => await RunAsync(r.GetValue(to), r.GetValue(text), Verb.Configuration(r),
            r.InvocationConfiguration.Output, r.InvocationConfiguration.Error));
        return command;
    }

    public static async Task<int> RunAsync(string? to, string? text, IConfiguration configuration, TextWriter output, TextWriter error)
    {
        var phone = Identity.PhoneNumber.Normalize(to);
        if (phone is null || string.IsNullOrEmpty(text))
        {
            await error.WriteLineAsync("sms-send: --to must be a Bangladeshi mobile number (e.g. 01711000001) and --text must not be empty");
            return Verb.UsageError;
        }
        var parts = SmsLength.Parts(text);
        var coding = SmsLength.NeedsUnicode(text) ? "UCS-2 (70 characters in one SMS, 67 per part)" : "GSM 7-bit (160 in one SMS, 153 per part)";
        await output.WriteLineAsync($"Text: {SmsLength.Units(text)} characters, {coding}: {parts} part(s).");
        if (parts > SmsLength.MaxParts)
        {
            await error.WriteLineAsync($"sms-send: more than {SmsLength.MaxParts} parts; shorten the text");
            return Verb.UsageError;
        }

        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddOptions<SmsOptions>().Bind(configuration.GetSection(SmsOptions.Section));
        services.AddSingleton(new SmsFolder(Path.Combine(Database.DataDirectory.Resolve(configuration), "sms")));
        SmsExtensions.AddTransport(services, configuration);
        await using var provider = services.BuildServiceProvider();
        var transport = provider.GetRequiredService<ISmsTransport>();
        var id = Guid.CreateVersion7();
        await output.WriteLineAsync($"Sending through {transport.Description} as notification {id}" +
            (provider.GetRequiredService<IOptions<SmsOptions>>().Value.CallbackBaseUrl is { } callback ? $", delivery reports to {callback}" : ", no delivery reports (Sms:CallbackBaseUrl unset)") + ".");
        var result = await transport.SendAsync(new SmsMessage(id, phone, text), CancellationToken.None);
        var said = result.Outcome switch
        {
            SmsSendOutcome.Accepted => "Accepted",
            SmsSendOutcome.Rejected => "Rejected by the gateway (this message would not be retried)",
            _ => "Gateway unavailable or credentials refused (the outbox would retry later)",
        };
        await output.WriteLineAsync($"{said}: {result.Detail}.");
        return result.Outcome == SmsSendOutcome.Accepted ? 0 : 1;
    }
}
