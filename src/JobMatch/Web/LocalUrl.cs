namespace JobMatch.Web;

/// <summary>
/// The one rule for "return to" addresses (sign-in, language switch): a path on this site, or nothing. It refuses
/// what ASP.NET Core's <c>LocalRedirect</c> would throw on (a control character such as a tab), so a hostile
/// returnUrl falls back to the home page instead of answering 500.
/// </summary>
internal static class LocalUrl
{
    public static string? SafeOrNull(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal)
        && !url.StartsWith("/\\", StringComparison.Ordinal) && !url.Any(char.IsControl)
            ? url
            : null;
}
