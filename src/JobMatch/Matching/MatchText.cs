namespace JobMatch.Matching;

/// <summary>Marker for the match flow's strings (case-worker review, shortlists, outcomes): MatchText.resx and MatchText.bn.resx.</summary>
public sealed class MatchText;
