namespace JobMatch.Training;

/// <summary>Marker for the training provider pages' strings (TrainingText.resx, TrainingText.bn.resx).</summary>
public sealed class TrainingText;
