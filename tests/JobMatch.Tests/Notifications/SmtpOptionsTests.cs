using JobMatch.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace JobMatch.Tests.Notifications;

/// <summary>A broken SMTP configuration stops the app at start instead of losing mail later.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SmtpOptionsTests(PostgresFixture database)
{
    [Theory]
    [InlineData("Smtp:Port", "0")]
    [InlineData("Smtp:From", "not an address")]
    [InlineData("Smtp:User", "mailer")]
    public async Task Startup_Fails_WhenSmtpSettingIsInvalid(string key, string value)
    {
        await using var app = new JobMatchApp(database, new Dictionary<string, string?> { ["Smtp:Host"] = "127.0.0.1", [key] = value });

        var error = Assert.ThrowsAny<Exception>(() => app.Services);

        var validation = Inner<OptionsValidationException>(error);
        Assert.NotNull(validation);
        Assert.Contains(validation.Failures, f => f.StartsWith(key, StringComparison.Ordinal) || f.Contains("Smtp:Password", StringComparison.Ordinal));
    }

    private static T? Inner<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T found) return found;
        }
        return null;
    }
}
