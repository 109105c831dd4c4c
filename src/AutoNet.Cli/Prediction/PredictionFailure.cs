namespace AutoNet.Cli.Prediction;

/// <summary>An input that got no prediction, and why (it could not be read or decoded).</summary>
public sealed record PredictionFailure(string Path, string Reason);
