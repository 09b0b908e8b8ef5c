namespace JobMatch.BrowserTests;

/// <summary>
/// A browser test. Without Chromium it is skipped with a message on a developer's machine, and runs (and fails,
/// saying what is missing) under CI, where a silent skip would hide a broken browser journey.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public static string ChromiumPath => Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public BrowserFactAttribute()
    {
        if (!File.Exists(ChromiumPath) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Skip = $"Chromium not found at {ChromiumPath}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH to run the browser tests.";
        }
    }

    private bool _kannel;

    /// <summary>The test also needs a real Kannel: skipped without it on a developer's machine, run (and failing) under CI.</summary>
    public bool Kannel
    {
        get => _kannel;
        set
        {
            _kannel = value;
            if (value && !JobMatch.Tests.Sms.KannelGateway.Installed && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            {
                Skip ??= JobMatch.Tests.Sms.KannelGateway.MissingReason;
            }
        }
    }
}
