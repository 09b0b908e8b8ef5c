namespace JobMatch.Onboarding;

internal static class InvitationLinks
{
    /// <summary>The absolute link the inviter hands over (shown once; only the token's hash is kept).</summary>
    public static string For(HttpRequest request, string token) =>
        $"{request.Scheme}://{request.Host}/account/invitation?token={Uri.EscapeDataString(token)}";
}
