using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authorization;

namespace JobMatch.Web;

/// <summary>
/// Who may read operational detail (health details, metrics): a signed-in admin who passed the second factor (the Admin
/// policy), or a monitoring system presenting <c>Authorization: Bearer &lt;Operations:Token&gt;</c> (a scraper has no
/// cookie). With no token configured only admins qualify. The token is compared in constant time.
/// </summary>
internal static class OperatorAccess
{
    public const string TokenSetting = "Operations:Token";

    /// <summary>
    /// The authorization policy an operator's signed-in account must meet. Named here and defined by Identity (as the
    /// admin role), so that Web, which Identity uses, does not use Identity back.
    /// </summary>
    public const string Policy = "Operator";
    private const int MinimumTokenLength = 32;

    public static async Task<bool> IsOperatorAsync(HttpContext context)
    {
        var token = context.RequestServices.GetRequiredService<IConfiguration>()[TokenSetting];
        if (token is { Length: >= MinimumTokenLength }
            && context.Request.Headers.Authorization.ToString() is { } header
            && header.StartsWith("Bearer ", StringComparison.Ordinal)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[7..].Trim()), Encoding.UTF8.GetBytes(token)))
        {
            return true;
        }
        if (context.User.Identity?.IsAuthenticated != true) return false;
        var authorization = context.RequestServices.GetRequiredService<IAuthorizationService>();
        return (await authorization.AuthorizeAsync(context.User, Policy)).Succeeded;
    }
}
