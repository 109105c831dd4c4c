using AutoNet.Training.Evaluation;

namespace AutoNet.Cli.Prediction;

/// <summary>The JSON of `autonet evaluate` (also written as metrics.json): the metrics and where the files went.</summary>
public sealed record EvaluationReport(
    string Model,
    string Data,
    string Split,
    int Images,
    int Skipped,
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
