namespace JobMatch.Onboarding;

internal static class InvitationLinks
{
    /// <summary>The site path of an invitation (the e-mail makes it absolute with the public address).</summary>
    public static string PathFor(string token) => $"/account/invitation?token={Uri.EscapeDataString(token)}";

    /// <summary>The absolute link the inviter hands over (shown once; only the token's hash is kept).</summary>
    public static string For(HttpRequest request, string token) => $"{request.Scheme}://{request.Host}{PathFor(token)}";
}
