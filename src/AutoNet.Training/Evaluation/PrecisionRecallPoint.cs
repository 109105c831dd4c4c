namespace AutoNet.Training.Evaluation;

/// <summary>One point of a precision-recall curve: predicting positive at scores ≥ <see cref="Threshold"/>.</summary>
public sealed record PrecisionRecallPoint(double Threshold, double Precision, double Recall);
