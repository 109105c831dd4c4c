namespace AutoNet.Cli.Prediction;

/// <summary>An image and its most probable classes, the most probable first.</summary>
public sealed record ImagePrediction(string Path, IReadOnlyList<PredictedClass> Top);
