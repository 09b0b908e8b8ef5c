namespace JobMatch.Identity;

/// <summary>Marker for the strings of the sign-in second step and authenticator pages (AccountText.resx, AccountText.bn.resx).</summary>
public sealed class AccountText;
