using AutoNet.Data.Loading;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Data.Augmentation;

/// <summary>
/// Turns a uint8 batch [B, C, H, W] (on the training device) into a training <see cref="Batch"/>: the
/// augmentations of <see cref="AugmentationOptions"/> as whole-batch tensor ops, normalisation with the data
/// set's per-channel mean and std (in [0, 1] units, as torchvision's Normalize after ToTensor), then mixup or
/// cutmix. Every random parameter comes from an <see cref="AugmentRandom"/> derived from the seed given per batch,
/// one stream per op, so a batch is a pure function of (pixels, seed) and switching one op on does not move
/// another's draws. Thread-safe: it holds no mutable state.
/// </summary>
public sealed class BatchAugmenter
{
    private const long ResizedCropStream = 1;
    private const long CropStream = 2;
    private const long FlipStream = 3;
    private const long CutoutStream = 4;
    private const long ErasingStream = 5;
    private const long MixStream = 6;

    private readonly double[] mean;
    private readonly double[] std;

    public BatchAugmenter(AugmentationOptions options, IReadOnlyList<double> mean, IReadOnlyList<double> std)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        BatchAugmentations.CheckStatistics(mean, std, mean?.Count ?? 0);
        Options = options;
        this.mean = [.. mean!];
        this.std = [.. std];
    }

    public AugmentationOptions Options { get; }

    public IReadOnlyList<double> Mean => mean;

    public IReadOnlyList<double> Std => std;

    /// <summary>Augments and normalises a training batch; <paramref name="images"/> and <paramref name="labels"/> are left alone.</summary>
    public Batch Augment(Tensor images, Tensor labels, ulong seed, memory_format format = memory_format.contiguous_format)
    {
        var (x, mixed, lambda) = AugmentTensors(images, labels, seed, format);
        return new Batch(x, labels.alias(), mixed, lambda);
    }

    /// <summary>Normalises an evaluation batch, with no augmentation.</summary>
    public Batch Prepare(Tensor images, Tensor labels, memory_format format = memory_format.contiguous_format) =>
        new(NormalizeTensor(images, labels, format), labels.alias());

    internal (Tensor Images, Tensor? MixedLabels, double Lambda) AugmentTensors(Tensor images, Tensor labels, ulong seed, memory_format format)
    {
        var (batch, _, height, width) = CheckBatch(images, labels);
        using var scope = torch.NewDisposeScope();
        var key = unchecked((long)seed);
        var x = images;
        if (Options.RandomResizedCrop)
        {
            var random = AugmentRandom.For(key, ResizedCropStream);
            var boxes = new AugmentBox[batch];
            for (var i = 0; i < batch; i++)
            {
                boxes[i] = SampleResizedCropBox(random, height, width, Options.ResizedCropScale, Options.ResizedCropRatio);
            }

            x = BatchAugmentations.ResizedCrop(x, boxes);
        }

        var padding = (int)Math.Round(Options.CropPadding * Math.Min(height, width), MidpointRounding.AwayFromZero);
        if (padding > 0)
        {
            var random = AugmentRandom.For(key, CropStream);
            var offsets = new (int, int)[batch];
            for (var i = 0; i < batch; i++)
            {
                offsets[i] = (random.NextInt((2 * padding) + 1), random.NextInt((2 * padding) + 1));
            }

            x = BatchAugmentations.PadCrop(x, padding, offsets);
        }

        if (Options.HorizontalFlip)
        {
            var random = AugmentRandom.For(key, FlipStream);
            var flip = new bool[batch];
            for (var i = 0; i < batch; i++)
            {
                flip[i] = random.NextDouble() < 0.5;
            }

            x = BatchAugmentations.HorizontalFlip(x, flip);
        }

        x = BatchAugmentations.Normalize(x, mean, std);
        if (Options.CutoutProbability > 0)
        {
            var random = AugmentRandom.For(key, CutoutStream);
            var side = Math.Max(1, (int)Math.Round(Options.CutoutSize * Math.Min(height, width), MidpointRounding.AwayFromZero));
            var boxes = new AugmentBox[batch];
            for (var i = 0; i < batch; i++)
            {
                // Both draws always happen, so one sample's coin does not shift the next sample's box.
                var box = SampleCutoutBox(random, height, width, side);
                boxes[i] = random.Bernoulli(Options.CutoutProbability) ? box : AugmentBox.Empty;
            }

            x = BatchAugmentations.Erase(x, boxes);
        }

        if (Options.ErasingProbability > 0)
        {
            var random = AugmentRandom.For(key, ErasingStream);
            var boxes = new AugmentBox[batch];
            for (var i = 0; i < batch; i++)
            {
                var apply = random.Bernoulli(Options.ErasingProbability);
                var box = SampleErasingBox(random, height, width, Options.ErasingScale, Options.ErasingRatio);
                boxes[i] = apply ? box : AugmentBox.Empty;
            }

            x = BatchAugmentations.Erase(x, boxes);
        }

        Tensor? mixed = null;
        var lambda = 1.0;
        if ((Options.MixupAlpha > 0 || Options.CutMixAlpha > 0) && batch > 1)
        {
            var random = AugmentRandom.For(key, MixStream);
            if (random.Bernoulli(Options.MixProbability))
            {
                var cutMix = Options.CutMixAlpha > 0 && (Options.MixupAlpha == 0 || random.Bernoulli(Options.CutMixSwitchProbability));
                var alpha = cutMix ? Options.CutMixAlpha : Options.MixupAlpha;
                lambda = random.Beta(alpha, alpha);
                var permutation = random.Permutation(batch);
                if (cutMix)
                {
                    AugmentBox box;
                    (box, lambda) = SampleCutMixBox(random, height, width, lambda);
                    x = BatchAugmentations.CutMix(x, permutation, box);
                }
                else
                {
                    x = BatchAugmentations.Mixup(x, permutation, lambda);
                }

                var index = torch.tensor(permutation.Select(p => (long)p).ToArray()).to(labels.device);
                mixed = labels.index_select(0, index);
            }
        }

        x = InFormat(x, format);
        return (x.MoveToOuterDisposeScope(), mixed?.MoveToOuterDisposeScope(), lambda);
    }

    internal Tensor NormalizeTensor(Tensor images, Tensor labels, memory_format format)
    {
        CheckBatch(images, labels);
        using var scope = torch.NewDisposeScope();
        var x = InFormat(BatchAugmentations.Normalize(images, mean, std), format);
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>A freshly computed (hence contiguous) batch in the layout asked for.</summary>
    private static Tensor InFormat(Tensor x, memory_format format) => format switch
    {
        memory_format.channels_last => ChannelsLast.ToChannelsLast(x),
        memory_format.contiguous_format or memory_format.preserve_format => x,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown memory format"),
    };

    /// <summary>torchvision's <c>RandomResizedCrop.get_params</c>: ten tries at an area fraction in
    /// <paramref name="scale"/> and a log-uniform aspect ratio in <paramref name="ratio"/>, then a centre crop.</summary>
    public static AugmentBox SampleResizedCropBox(AugmentRandom random, int height, int width, (double Min, double Max) scale, (double Min, double Max) ratio)
    {
        ArgumentNullException.ThrowIfNull(random);
        double area = (double)height * width;
        var logRatio = (Math.Log(ratio.Min), Math.Log(ratio.Max));
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var target = area * random.Uniform(scale.Min, scale.Max);
            var aspect = Math.Exp(random.Uniform(logRatio.Item1, logRatio.Item2));
            var w = (int)Math.Round(Math.Sqrt(target * aspect));
            var h = (int)Math.Round(Math.Sqrt(target / aspect));
            if (w > 0 && w <= width && h > 0 && h <= height)
            {
                return new AugmentBox(random.NextInt(height - h + 1), random.NextInt(width - w + 1), h, w);
            }
        }

        var inRatio = (double)width / height;
        int ch, cw;
        if (inRatio < ratio.Min)
        {
            cw = width;
            ch = (int)Math.Round(cw / ratio.Min);
        }
        else if (inRatio > ratio.Max)
        {
            ch = height;
            cw = (int)Math.Round(ch * ratio.Max);
        }
        else
        {
            cw = width;
            ch = height;
        }

        return new AugmentBox((height - ch) / 2, (width - cw) / 2, ch, cw);
    }

    /// <summary>torchvision's <c>RandomErasing.get_params</c>: ten tries at an area fraction in <paramref name="scale"/>
    /// and a log-uniform aspect ratio; an empty box (no erasing) when none fits.</summary>
    public static AugmentBox SampleErasingBox(AugmentRandom random, int height, int width, (double Min, double Max) scale, (double Min, double Max) ratio)
    {
        ArgumentNullException.ThrowIfNull(random);
        double area = (double)height * width;
        var logRatio = (Math.Log(ratio.Min), Math.Log(ratio.Max));
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var target = area * random.Uniform(scale.Min, scale.Max);
            var aspect = Math.Exp(random.Uniform(logRatio.Item1, logRatio.Item2));
            var h = (int)Math.Round(Math.Sqrt(target * aspect));
            var w = (int)Math.Round(Math.Sqrt(target / aspect));
            if (h < height && w < width && h > 0 && w > 0)
            {
                return new AugmentBox(random.NextInt(height - h + 1), random.NextInt(width - w + 1), h, w);
            }
        }

        return AugmentBox.Empty;
    }

    /// <summary>Cutout (DeVries and Taylor): a <paramref name="side"/>-pixel square centred anywhere, clipped at the border.</summary>
    public static AugmentBox SampleCutoutBox(AugmentRandom random, int height, int width, int side)
    {
        ArgumentNullException.ThrowIfNull(random);
        var cy = random.NextInt(height);
        var cx = random.NextInt(width);
        return Clipped(cy - (side / 2), cx - (side / 2), side, side, height, width);
    }

    /// <summary>CutMix (Yun et al.): a box with sides √(1 − λ) of the image's, centred anywhere and clipped; returns the
    /// box and λ corrected to the area actually kept, 1 − box area / image area.</summary>
    public static (AugmentBox Box, double Lambda) SampleCutMixBox(AugmentRandom random, int height, int width, double lambda)
    {
        ArgumentNullException.ThrowIfNull(random);
        var cut = Math.Sqrt(1.0 - lambda);
        var cutHeight = (int)(height * cut);
        var cutWidth = (int)(width * cut);
        var cy = random.NextInt(height);
        var cx = random.NextInt(width);
        var box = Clipped(cy - (cutHeight / 2), cx - (cutWidth / 2), cutHeight, cutWidth, height, width);
        return (box, 1.0 - ((double)box.Area / ((double)height * width)));
    }

    private static AugmentBox Clipped(int top, int left, int h, int w, int height, int width)
    {
        var y1 = Math.Clamp(top, 0, height);
        var y2 = Math.Clamp(top + h, 0, height);
        var x1 = Math.Clamp(left, 0, width);
        var x2 = Math.Clamp(left + w, 0, width);
        return y2 > y1 && x2 > x1 ? new AugmentBox(y1, x1, y2 - y1, x2 - x1) : AugmentBox.Empty;
    }

    private (int Batch, int Channels, int Height, int Width) CheckBatch(Tensor images, Tensor labels)
    {
        var dims = BatchAugmentations.CheckImages(images, nameof(images));
        ArgumentNullException.ThrowIfNull(labels);
        if (dims.Channels != mean.Length)
        {
            throw new ArgumentException($"images have {dims.Channels} channels but the normalisation statistics have {mean.Length}", nameof(images));
        }

        var labelShape = labels.shape;
        if (labelShape.Length != 1 || labelShape[0] != dims.Batch)
        {
            throw new ArgumentException($"labels must be [{dims.Batch}] for a batch of {dims.Batch} images, got [{string.Join(", ", labelShape)}]", nameof(labels));
        }

        return dims;
    }
}
