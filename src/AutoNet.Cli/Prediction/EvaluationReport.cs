using AutoNet.Training.Evaluation;

namespace AutoNet.Cli.Prediction;

/// <summary>
/// The JSON of `autonet evaluate` (also written as metrics.json): which images were scored (<see cref="Split"/>, in
/// words <see cref="Selection"/>; <see cref="Images"/> of the <see cref="DataImages"/> the data lists), whether each
/// image's probabilities were averaged with its mirror's (<see cref="FlipAveraged"/>: a stored trial scored as its
/// search scored it; never for a package), the metrics and where the files went.
/// </summary>
public sealed record EvaluationReport(
    string Model,
    string Data,
    string Split,
    string Selection,
    int Images,
    int DataImages,
    int Skipped,
    bool FlipAveraged,
    double Accuracy,
    double? Top5Accuracy,
    double MacroPrecision,
    double MacroRecall,
    double MacroF1,
    double WeightedF1,
    IReadOnlyList<ClassMetrics> PerClass,
    IReadOnlyList<string> ClassNames,
    int[][] ConfusionMatrix,
    IReadOnlyList<ThresholdPoint> Thresholds,
    IReadOnlyList<EvaluationMistake> ConfidentMistakes,
    string OutputFolder,
    string MetricsFile,
    string ChartFile);
