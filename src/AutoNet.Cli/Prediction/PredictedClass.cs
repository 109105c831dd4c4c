namespace AutoNet.Cli.Prediction;

/// <summary>One of an image's most probable classes.</summary>
public sealed record PredictedClass(int Rank, string Name, int Index, double Probability);
