namespace JobMatch.Web;

/// <summary>Marker for the strings of the page frame, sign-in and errors (SharedText.resx / SharedText.bn.resx).</summary>
public sealed class SharedText;
