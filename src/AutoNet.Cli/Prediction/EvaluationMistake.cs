namespace AutoNet.Cli.Prediction;

/// <summary>A wrong prediction made with high confidence: the image, its true class and what the model said.</summary>
public sealed record EvaluationMistake(string Path, string TrueClass, string PredictedClass, double Confidence);
