namespace JobMatch.Web;

/// <summary>
/// Marker for validation messages (ValidationText.resx / ValidationText.bn.resx). The key of each message is its
/// English sentence, so validators keep readable literals and the API and the forms translate the same text.
/// </summary>
public sealed class ValidationText;
