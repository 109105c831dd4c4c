namespace AutoNet.Training;

/// <summary>A model's predictions over a labelled set: mean loss, accuracy, top-5 and the probabilities (row-major).</summary>
internal sealed record EvaluationPass(double Loss, double Accuracy, double? Top5Accuracy, float[] Probabilities, int[] Labels);
