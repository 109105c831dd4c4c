namespace AutoNet.Training.Evaluation;

/// <summary>
/// One class, one-vs-rest, predicting it wherever its probability is at least <see cref="Threshold"/>: how many of the
/// predictions were right and wrong. With the class's support and the sample count these give its precision, recall and
/// false-positive rate at that threshold, so its PR and ROC curves, in a few integers per point.
/// </summary>
public sealed record ClassThresholdCounts(double Threshold, int TruePositives, int FalsePositives);
