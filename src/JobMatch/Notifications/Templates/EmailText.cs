namespace JobMatch.Notifications.Templates;

/// <summary>Marker for the e-mail sentences in EmailText.resx (English) and EmailText.bn.resx (Bangla).</summary>
public sealed class EmailText;
