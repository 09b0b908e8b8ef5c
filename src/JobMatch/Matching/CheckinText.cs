namespace JobMatch.Matching;

/// <summary>Marker for the strings of retention check-ins (CheckinText.resx, CheckinText.bn.resx).</summary>
public sealed class CheckinText;
