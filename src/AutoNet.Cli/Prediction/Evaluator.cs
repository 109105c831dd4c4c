using AutoNet.Training.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Cli.Prediction;

/// <summary>
/// Scores a classifier on labelled images already brought to its input size (uint8 [N, C, H, W], as the decoded
/// cache holds them or <see cref="PackageImageReader"/> reads them) and computes <see cref="ClassificationMetrics"/>.
/// It takes a module, not a package folder, so a trial's network on an experiment's test split can be evaluated the
/// same way as an exported model on another folder.
/// </summary>
public static class Evaluator
{
    /// <param name="model">the classifier; its logits are in the order of <paramref name="classNames"/></param>
    /// <param name="reader">the model's preprocessing (normalisation of the pixels)</param>
    /// <param name="pixels">uint8 [N, C, H, W] in the model's channel order and resolution</param>
    /// <param name="labels">N labels, indices into <paramref name="classNames"/></param>
    /// <param name="paths">N image paths (or keys), for the confident mistakes</param>
    public static Evaluation Evaluate(nn.Module<Tensor, Tensor> model, PackageImageReader reader, IReadOnlyList<string> classNames, Tensor pixels, int[] labels,
        IReadOnlyList<string> paths, Device device, int batchSize = ModelScorer.DefaultBatchSize, int mistakesToKeep = 20,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(paths);
        var count = pixels.shape[0];
        if (labels.Length != count || paths.Count != count)
        {
            throw new ArgumentException($"{count} images, {labels.Length} labels and {paths.Count} paths; expected one of each per image");
        }

        var probabilities = ModelScorer.Probabilities(model, reader, pixels, device, batchSize, cancellationToken);
        if (probabilities.Length != count * classNames.Count)
        {
            throw new ArgumentException($"the model gives {probabilities.Length / Math.Max(1, count)} outputs per image, expected one per class ({classNames.Count})");
        }

        var metrics = ClassificationMetrics.Compute(probabilities, labels, classNames, mistakesToKeep);
        return new Evaluation(metrics, classNames, paths, probabilities, labels);
    }

    /// <summary>The per-class precision-recall curves of an evaluation, for <see cref="Reports.EvaluationChart"/>.</summary>
    public static IReadOnlyList<IReadOnlyList<PrecisionRecallPoint>?> Curves(Evaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var k = evaluation.ClassNames.Count;
        var n = evaluation.Labels.Length;
        var curves = new IReadOnlyList<PrecisionRecallPoint>?[k];
        var scores = new double[n];
        var positive = new bool[n];
        for (var c = 0; c < k; c++)
        {
            for (var i = 0; i < n; i++)
            {
                scores[i] = evaluation.Probabilities[(i * k) + c];
                positive[i] = evaluation.Labels[i] == c;
            }

            curves[c] = RankingMetrics.PrecisionRecallCurve(scores, positive);
        }

        return curves;
    }
}
