using AutoNet.Data.Cache;
using AutoNet.Data.Loading;
using AutoNet.Data.Splits;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Training;

/// <summary>
/// The data a trial trains on, as the decoded cache hands it over: per split, uint8 images [N, C, H, W] and int64
/// labels [N] (CPU, possibly memory-mapped; the trainer never writes to them), with the training split's per-channel
/// mean and standard deviation on a 0–1 scale (as the cache's metadata) for normalisation. The caller owns the tensors.
/// </summary>
public sealed record TrialData(
    Tensor TrainImages,
    Tensor TrainLabels,
    Tensor ValidationImages,
    Tensor ValidationLabels,
    IReadOnlyList<string> ClassNames,
    IReadOnlyList<double> Mean,
    IReadOnlyList<double> Std)
{
    public int ClassCount => ClassNames.Count;

    /// <summary>Whether mirrored images are still valid examples of their class (false for digits and text).</summary>
    public bool AllowHorizontalFlip { get; init; } = true;

    /// <summary>
    /// Per-class loss weights (one per class, e.g. <see cref="ClassBalance.Weights"/> for an imbalanced data set);
    /// null trains with the plain, unweighted loss.
    /// </summary>
    public IReadOnlyList<double>? ClassWeights { get; init; }

    /// <summary>The training and validation splits of a decoded cache (memory-mapped; the cache's files must stay).</summary>
    public static TrialData FromCache(DecodedCache cache, bool allowHorizontalFlip)
    {
        ArgumentNullException.ThrowIfNull(cache);
        return new TrialData(cache.Images(SplitPart.Train), cache.Labels(SplitPart.Train), cache.Images(SplitPart.Validation),
            cache.Labels(SplitPart.Validation), cache.ClassNames, cache.Mean, cache.Std)
        {
            AllowHorizontalFlip = allowHorizontalFlip,
        };
    }

    /// <summary>Checks shapes, types and counts, naming the split and what was expected.</summary>
    public void Validate()
    {
        Check(TrainImages, TrainLabels, "train");
        Check(ValidationImages, ValidationLabels, "validation");
        if (ClassNames.Count < 2)
        {
            throw new ArgumentException($"{ClassNames.Count} classes; a classifier needs at least 2");
        }

        var channels = TrainImages.shape[1];
        if (Mean.Count != channels || Std.Count != channels)
        {
            throw new ArgumentException($"mean/std have {Mean.Count}/{Std.Count} values for {channels}-channel images; expected one per channel");
        }

        if (Std.Any(s => !(s > 0)))
        {
            throw new ArgumentException($"std [{string.Join(", ", Std)}] has a value that is not positive");
        }

        if (Mean.Any(m => m is < 0 or > 1))
        {
            throw new ArgumentException($"mean [{string.Join(", ", Mean)}] is not on the 0–1 scale of the decoded cache");
        }

        if (ClassWeights is { } weights && (weights.Count != ClassNames.Count || weights.Any(w => !(w > 0) || !double.IsFinite(w))))
        {
            throw new ArgumentException($"class weights [{string.Join(", ", weights)}] must be {ClassNames.Count} positive numbers, one per class");
        }
    }

    private static void Check(Tensor images, Tensor labels, string split)
    {
        if (images.dim() != 4 || images.dtype != ScalarType.Byte)
        {
            throw new ArgumentException($"{split} images are {images.dtype} [{string.Join(", ", images.shape)}]; expected uint8 [N, C, H, W]");
        }

        if (labels.dim() != 1 || labels.dtype != ScalarType.Int64 || labels.shape[0] != images.shape[0])
        {
            throw new ArgumentException($"{split} labels are {labels.dtype} [{string.Join(", ", labels.shape)}]; expected int64 [{images.shape[0]}]");
        }

        if (images.shape[0] == 0)
        {
            throw new ArgumentException($"the {split} split is empty");
        }
    }
}
