namespace JobMatch.Seekers;

/// <summary>Marker for the case work pages' strings (SeekerText.resx, SeekerText.bn.resx).</summary>
public sealed class SeekerText;
