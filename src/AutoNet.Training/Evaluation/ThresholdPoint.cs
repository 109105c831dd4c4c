namespace AutoNet.Training.Evaluation;

/// <summary>
/// Precision and recall when every (image, class) score at or above <see cref="Threshold"/> counts as a prediction,
/// micro-averaged over classes, as Cloud AutoML Vision's evaluation page reports them: precision is the share of
/// those predictions that name the true class, recall the share of images whose true class is predicted.
/// </summary>
public sealed record ThresholdPoint(double Threshold, double Precision, double Recall, int Predictions);
