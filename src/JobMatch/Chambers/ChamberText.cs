namespace JobMatch.Chambers;

/// <summary>Marker for the chamber admins' and self-registration strings (ChamberText.resx, ChamberText.bn.resx).</summary>
public sealed class ChamberText;
