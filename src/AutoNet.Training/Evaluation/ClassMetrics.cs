namespace AutoNet.Training.Evaluation;

/// <summary>
/// One class's scores on an evaluation set. Precision, recall and F1 follow scikit-learn with
/// <c>zero_division=0</c>; <see cref="RocAuc"/> and <see cref="PrAuc"/> are one-vs-rest and are <c>null</c> when the
/// class has no positive or no negative sample (the curve is undefined).
/// </summary>
public sealed record ClassMetrics(
    string Name,
    double Precision,
    double Recall,
    double F1,
    int Support,
    double? RocAuc,
    double? PrAuc);
