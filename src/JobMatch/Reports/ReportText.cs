namespace JobMatch.Reports;

/// <summary>Marker for the programme report's strings (ReportText.resx, ReportText.bn.resx).</summary>
public sealed class ReportText;
