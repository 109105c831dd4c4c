using AutoNet.Training.Evaluation;

namespace AutoNet.Training;

/// <summary>
/// What a trial run produced: how training ended and its history, the parameter count, and — once the full budget
/// was reached — the test metrics (predictions saved beside the checkpoint) and the inference latency.
/// </summary>
public sealed record TrialResult(
    TrainingOutcome Outcome,
    long Parameters,
    ClassificationMetrics? Test,
    InferenceLatency? Latency,
    string CheckpointDirectory,
    string? PredictionsPath);
