namespace AutoNet.Training.Evaluation;

/// <summary>A wrongly classified sample with the probability the model gave its wrong answer.</summary>
public sealed record ConfidentMistake(int Index, int TrueLabel, int PredictedLabel, double Confidence);
