namespace AutoNet.Data.Augmentation;

/// <summary>
/// What <see cref="BatchAugmenter"/> does to a training batch, in this order: random resized crop, random crop with
/// padding, horizontal flip, normalisation, cutout, random erasing, then mixup or cutmix. Every part is off unless
/// set; <see cref="ForStrength"/> gives a one-knob family a search space can tune. Horizontal flip is a separate
/// flag because it is wrong for some data (digits, text) whatever the strength.
/// </summary>
public sealed record AugmentationOptions
{
    /// <summary>No augmentation: normalisation only.</summary>
    public static AugmentationOptions None { get; } = new();

    /// <summary>Mirror left-right with probability one half. Off by default: wrong for digits and text.</summary>
    public bool HorizontalFlip { get; init; }

    /// <summary>Zero padding on each side before a random crop back to the original size (a random translation
    /// by up to this many pixels), as a fraction of the shorter side: 0.125 is CIFAR's 4 pixels of 32. 0 = off.</summary>
    public double CropPadding { get; init; }

    /// <summary>Random resized crop (Inception style) back to the original size, with bilinear interpolation.</summary>
    public bool RandomResizedCrop { get; init; }

    /// <summary>Range of the crop's area as a fraction of the image, as torchvision's <c>scale</c>.</summary>
    public (double Min, double Max) ResizedCropScale { get; init; } = (0.08, 1.0);

    /// <summary>Range of the crop's width / height, as torchvision's <c>ratio</c>.</summary>
    public (double Min, double Max) ResizedCropRatio { get; init; } = (3.0 / 4.0, 4.0 / 3.0);

    /// <summary>Probability that a sample gets a cutout square (DeVries and Taylor: centre anywhere, clipped at the border). 0 = off.</summary>
    public double CutoutProbability { get; init; }

    /// <summary>The cutout square's side as a fraction of the shorter image side (0.5 is 16 pixels of 32).</summary>
    public double CutoutSize { get; init; } = 0.5;

    /// <summary>Probability of random erasing (Zhong et al., as torchvision's RandomErasing). 0 = off.</summary>
    public double ErasingProbability { get; init; }

    public (double Min, double Max) ErasingScale { get; init; } = (0.02, 0.33);

    public (double Min, double Max) ErasingRatio { get; init; } = (0.3, 3.3);

    /// <summary>Beta(α, α) parameter of mixup; 0 = off.</summary>
    public double MixupAlpha { get; init; }

    /// <summary>Beta(α, α) parameter of cutmix; 0 = off.</summary>
    public double CutMixAlpha { get; init; }

    /// <summary>Probability that a batch is mixed at all when mixup or cutmix is on.</summary>
    public double MixProbability { get; init; } = 1.0;

    /// <summary>When both are on: probability a mixed batch uses cutmix rather than mixup.</summary>
    public double CutMixSwitchProbability { get; init; } = 0.5;

    /// <summary>True when the options change anything beyond normalisation.</summary>
    public bool IsIdentity =>
        !HorizontalFlip && CropPadding == 0 && !RandomResizedCrop && CutoutProbability == 0 && ErasingProbability == 0 &&
        MixupAlpha == 0 && CutMixAlpha == 0;

    /// <summary>Light: crop with a small padding (and flip if allowed).</summary>
    public static AugmentationOptions Light(bool horizontalFlip) => ForStrength(0.25, horizontalFlip);

    /// <summary>Standard CIFAR-style: crop with 1/8 padding (and flip if allowed).</summary>
    public static AugmentationOptions Standard(bool horizontalFlip) => ForStrength(0.5, horizontalFlip);

    /// <summary>Strong: standard plus cutout and cutmix on every batch.</summary>
    public static AugmentationOptions Strong(bool horizontalFlip) => ForStrength(1.0, horizontalFlip);

    /// <summary>
    /// One knob from 0 (normalisation only) to 1 (strong), continuous so a search can sample it. Up to 0.5 the
    /// crop padding grows to 1/8 of the side; from 0.5 cutout comes in (probability rising to 1); from 0.75 cutmix
    /// (α = 1) comes in with a probability rising to 1. Flip is on at any strength above 0 when allowed.
    /// </summary>
    public static AugmentationOptions ForStrength(double strength, bool horizontalFlip)
    {
        if (!double.IsFinite(strength) || strength < 0 || strength > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(strength), strength, "augmentation strength must be in [0, 1]");
        }

        if (strength == 0)
        {
            return None;
        }

        return new AugmentationOptions
        {
            HorizontalFlip = horizontalFlip,
            CropPadding = 0.125 * Math.Min(1.0, strength * 2),
            CutoutProbability = strength > 0.5 ? Math.Min(1.0, (strength - 0.5) * 2) : 0,
            CutoutSize = 0.5,
            CutMixAlpha = strength > 0.75 ? 1.0 : 0,
            MixProbability = strength > 0.75 ? Math.Min(1.0, (strength - 0.75) * 4) : 1.0,
        };
    }

    /// <summary>Throws naming the first property that is out of range.</summary>
    public void Validate()
    {
        static void Probability(double value, string name)
        {
            if (!double.IsFinite(value) || value < 0 || value > 1)
            {
                throw new ArgumentException($"augmentation option {name} is {value}, expected a probability in [0, 1]", name);
            }
        }

        static void Range((double Min, double Max) range, string name, double low, double high)
        {
            if (!double.IsFinite(range.Min) || !double.IsFinite(range.Max) || range.Min <= low || range.Min > range.Max || range.Max > high)
            {
                throw new ArgumentException($"augmentation option {name} is ({range.Min}, {range.Max}), expected {low} < min <= max <= {high}", name);
            }
        }

        if (!double.IsFinite(CropPadding) || CropPadding < 0 || CropPadding > 1)
        {
            throw new ArgumentException($"augmentation option {nameof(CropPadding)} is {CropPadding}, expected a fraction of the side in [0, 1]", nameof(CropPadding));
        }

        Probability(CutoutProbability, nameof(CutoutProbability));
        Probability(ErasingProbability, nameof(ErasingProbability));
        Probability(MixProbability, nameof(MixProbability));
        Probability(CutMixSwitchProbability, nameof(CutMixSwitchProbability));
        if (!double.IsFinite(CutoutSize) || CutoutSize <= 0 || CutoutSize > 1)
        {
            throw new ArgumentException($"augmentation option {nameof(CutoutSize)} is {CutoutSize}, expected a fraction of the side in (0, 1]", nameof(CutoutSize));
        }

        Range(ResizedCropScale, nameof(ResizedCropScale), 0, 1);
        Range(ResizedCropRatio, nameof(ResizedCropRatio), 0, double.MaxValue);
        Range(ErasingScale, nameof(ErasingScale), 0, 1);
        Range(ErasingRatio, nameof(ErasingRatio), 0, double.MaxValue);
        if (!double.IsFinite(MixupAlpha) || MixupAlpha < 0 || !double.IsFinite(CutMixAlpha) || CutMixAlpha < 0)
        {
            throw new ArgumentException($"augmentation options {nameof(MixupAlpha)} = {MixupAlpha} and {nameof(CutMixAlpha)} = {CutMixAlpha} must be >= 0 (0 = off)");
        }
    }
}
