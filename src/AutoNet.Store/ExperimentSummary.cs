namespace AutoNet.Store;

/// <summary>An experiment with its trial counts and best scores (over completed trials; null when none has one).</summary>
public sealed record ExperimentSummary(
    Experiment Experiment,
    TrialCounts Trials,
    double? BestValidationAccuracy,
    double? BestTestAccuracy);
