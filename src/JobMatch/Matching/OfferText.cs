namespace JobMatch.Matching;

/// <summary>Marker for the strings of the seeker's offers and the case worker's relay (OfferText.resx, OfferText.bn.resx).</summary>
public sealed class OfferText;
