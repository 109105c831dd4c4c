using AutoNet.Training.Evaluation;

namespace AutoNet.Cli.Prediction;

/// <summary>What <see cref="Evaluator"/> found: the metrics, and the probabilities and labels they came from, per image path.</summary>
public sealed record Evaluation(ClassificationMetrics Metrics, IReadOnlyList<string> ClassNames, IReadOnlyList<string> Paths, float[] Probabilities, int[] Labels);
