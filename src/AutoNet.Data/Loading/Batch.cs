using AutoNet.Torch.Scalars;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Data.Loading;

/// <summary>
/// One mini-batch, ready for a model: float images [B, C, H, W] on the target device (normalised, augmented when
/// it is a training batch) and int64 labels [B]. When mixup or cutmix mixed it, <see cref="MixedLabels"/> holds
/// the labels of the samples mixed in and <see cref="MixLambda"/> the weight of <see cref="Labels"/>; train on it
/// with <see cref="CrossEntropy"/> (or <see cref="SoftTargets"/>). The batch owns its tensors, outside any
/// dispose scope: dispose it when the step is done.
/// </summary>
public sealed class Batch : IDisposable
{
    public Batch(Tensor images, Tensor labels, Tensor? mixedLabels = null, double mixLambda = 1.0)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (!double.IsFinite(mixLambda) || mixLambda < 0 || mixLambda > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(mixLambda), mixLambda, "mixing weight must be in [0, 1]");
        }

        Images = images.DetachFromDisposeScope();
        Labels = labels.DetachFromDisposeScope();
        MixedLabels = mixedLabels?.DetachFromDisposeScope();
        MixLambda = mixedLabels is null ? 1.0 : mixLambda;
    }

    public Tensor Images { get; }

    public Tensor Labels { get; }

    /// <summary>Labels of the samples mixed in by mixup or cutmix; null when the batch is not mixed.</summary>
    public Tensor? MixedLabels { get; }

    /// <summary>Weight of <see cref="Labels"/> in the targets (1 when not mixed); <see cref="MixedLabels"/> get 1 − λ.</summary>
    public double MixLambda { get; }

    public bool IsMixed => MixedLabels is not null;

    public int Count => (int)Labels.shape[0];

    /// <summary>Positions of these samples in the loader's source, in batch order.</summary>
    public IReadOnlyList<long> Indices { get; init; } = [];

    /// <summary>The epoch this batch belongs to; -1 for an evaluation pass.</summary>
    public int Epoch { get; init; } = -1;

    /// <summary>Position of this batch in its epoch or pass.</summary>
    public int Index { get; init; }

    /// <summary>
    /// Cross-entropy of <paramref name="logits"/> against this batch's targets: plain for an unmixed batch,
    /// <c>λ CE(logits, Labels) + (1 − λ) CE(logits, MixedLabels)</c> for a mixed one (which equals cross-entropy
    /// against the mixed soft targets).
    /// </summary>
    public Tensor CrossEntropy(Tensor logits, double labelSmoothing = 0, Tensor? weight = null)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (MixedLabels is null)
        {
            return nn.functional.cross_entropy(logits, Labels, weight, label_smoothing: labelSmoothing);
        }

        using var scope = torch.NewDisposeScope();
        var a = nn.functional.cross_entropy(logits, Labels, weight, label_smoothing: labelSmoothing);
        var b = nn.functional.cross_entropy(logits, MixedLabels, weight, label_smoothing: labelSmoothing);
        return ScalarSafe.WeightedSum(a, MixLambda, b, 1.0 - MixLambda).MoveToOuterDisposeScope();
    }

    /// <summary>Float targets [B, <paramref name="classes"/>]: one-hot, or <c>λ onehot(Labels) + (1 − λ) onehot(MixedLabels)</c>.</summary>
    public Tensor SoftTargets(long classes)
    {
        using var scope = torch.NewDisposeScope();
        var a = nn.functional.one_hot(Labels, classes).to(ScalarType.Float32);
        if (MixedLabels is null)
        {
            return a.MoveToOuterDisposeScope();
        }

        var b = nn.functional.one_hot(MixedLabels, classes).to(ScalarType.Float32);
        return ScalarSafe.WeightedSum(a, MixLambda, b, 1.0 - MixLambda).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
        MixedLabels?.Dispose();
    }
}
