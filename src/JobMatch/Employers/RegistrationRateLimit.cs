using JobMatch.Identity;
using Microsoft.Extensions.Localization;

namespace JobMatch.Employers;

/// <summary>
/// The limit on self-registration (and setting a password from an invitation), per client address: applications
/// (POSTs) beyond <c>Registration:PermitsPerWindow</c> (default 5) in <c>Registration:WindowMinutes</c> (default 10)
/// answer 429. Reading the form is not limited. Counted in PostgreSQL by <see cref="SharedThrottle"/>, so every web
/// node shares one count per address.
/// </summary>
internal sealed class RegistrationRateLimit(IConfiguration configuration) : IAddressThrottle
{
    public const string Name = "employer-registration";

    public int Permits { get; } = configuration.GetValue("Registration:PermitsPerWindow", 5);

    public TimeSpan Window { get; } = TimeSpan.FromMinutes(configuration.GetValue("Registration:WindowMinutes", 10));

    public async Task RejectAsync(HttpContext context, CancellationToken ct)
    {
        var text = context.RequestServices.GetRequiredService<IStringLocalizer<Web.SharedText>>();
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(text["TooManyApplications"], ct);
    }
}
