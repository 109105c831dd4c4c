using AutoNet.Torch.Scalars;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Data.Augmentation;

/// <summary>
/// The augmentation ops on whole batches [B, C, H, W], with their random parameters passed in explicitly, so each is
/// a plain function that tests compare with torchvision. They run as tensor ops on the images' device (gather,
/// where, masked fill; no per-sample loop of kernels) and return a new tensor, leaving the input alone.
/// <see cref="BatchAugmenter"/> draws the parameters.
/// </summary>
public static class BatchAugmentations
{
    /// <summary>Mirrors left-right the samples whose <paramref name="flip"/> entry is true.</summary>
    public static Tensor HorizontalFlip(Tensor images, IReadOnlyList<bool> flip)
    {
        var (batch, _, _, _) = CheckImages(images, nameof(images));
        CheckCount(flip.Count, batch, nameof(flip));
        using var scope = torch.NewDisposeScope();
        var mask = torch.tensor(flip.ToArray(), [batch, 1, 1, 1]).to(images.device);
        return torch.where(mask, images.flip(3), images).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Pads every side with <paramref name="padding"/> zero pixels and crops each sample back to its original size
    /// at <paramref name="offsets"/> (row, column of the crop's top-left corner in the padded image, each in
    /// [0, 2 × padding]): torchvision's <c>RandomCrop(size, padding)</c> with the offsets given.
    /// </summary>
    public static Tensor PadCrop(Tensor images, int padding, IReadOnlyList<(int Top, int Left)> offsets)
    {
        var (batch, channels, height, width) = CheckImages(images, nameof(images));
        CheckCount(offsets.Count, batch, nameof(offsets));
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        var rows = new long[batch];
        var cols = new long[batch];
        for (var i = 0; i < batch; i++)
        {
            var (top, left) = offsets[i];
            if (top < 0 || top > 2 * padding || left < 0 || left > 2 * padding)
            {
                throw new ArgumentOutOfRangeException(nameof(offsets), offsets[i], $"crop offset of sample {i} must lie in [0, {2 * padding}] with padding {padding}");
            }

            rows[i] = top;
            cols[i] = left;
        }

        using var scope = torch.NewDisposeScope();
        var padded = padding == 0 ? images : nn.functional.pad(images, [padding, padding, padding, padding]);
        var paddedWidth = width + (2 * padding);
        var device = images.device;
        var rowIndex = torch.tensor(rows, [batch, 1]).to(device).Plus(ScalarSafe.Arange(height, device).view(1, height));
        var colIndex = torch.tensor(cols, [batch, 1]).to(device).Plus(ScalarSafe.Arange(width, device).view(1, width));
        var flat = rowIndex.view(batch, height, 1).Times((long)paddedWidth).Plus(colIndex.view(batch, 1, width));
        return GatherPixels(padded, flat, batch, channels, height, width).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Crops each sample to its box and resizes it back to the full image size with bilinear interpolation
    /// (<c>interpolate(..., mode="bilinear", align_corners=False, antialias=False)</c>, as torchvision's
    /// <c>resized_crop</c>), all samples at once through gathers. The result is float.
    /// </summary>
    public static Tensor ResizedCrop(Tensor images, IReadOnlyList<AugmentBox> boxes)
    {
        var (batch, channels, height, width) = CheckImages(images, nameof(images));
        CheckCount(boxes.Count, batch, nameof(boxes));
        var row0 = new long[batch * height];
        var row1 = new long[batch * height];
        var rowWeight = new float[batch * height];
        var col0 = new long[batch * width];
        var col1 = new long[batch * width];
        var colWeight = new float[batch * width];
        for (var b = 0; b < batch; b++)
        {
            var box = boxes[b];
            if (box.IsEmpty || box.Top < 0 || box.Left < 0 || box.Bottom > height || box.Right > width)
            {
                throw new ArgumentOutOfRangeException(nameof(boxes), box, $"crop box of sample {b} must be non-empty and inside the {height} x {width} image");
            }

            SourceIndices(box.Top, box.Height, height, row0.AsSpan(b * height, height), row1.AsSpan(b * height, height), rowWeight.AsSpan(b * height, height));
            SourceIndices(box.Left, box.Width, width, col0.AsSpan(b * width, width), col1.AsSpan(b * width, width), colWeight.AsSpan(b * width, width));
        }

        using var scope = torch.NewDisposeScope();
        var device = images.device;
        var source = images.dtype == ScalarType.Float32 ? images : images.to(ScalarType.Float32);
        var r0 = torch.tensor(row0, [batch, height, 1]).to(device).Times((long)width);
        var r1 = torch.tensor(row1, [batch, height, 1]).to(device).Times((long)width);
        var c0 = torch.tensor(col0, [batch, 1, width]).to(device);
        var c1 = torch.tensor(col1, [batch, 1, width]).to(device);
        var ly1 = torch.tensor(rowWeight, [batch, 1, height, 1]).to(device);
        var lx1 = torch.tensor(colWeight, [batch, 1, 1, width]).to(device);
        var ly0 = ly1.OneMinus();
        var lx0 = lx1.OneMinus();
        var v00 = GatherPixels(source, r0.Plus(c0), batch, channels, height, width);
        var v01 = GatherPixels(source, r0.Plus(c1), batch, channels, height, width);
        var v10 = GatherPixels(source, r1.Plus(c0), batch, channels, height, width);
        var v11 = GatherPixels(source, r1.Plus(c1), batch, channels, height, width);
        var result = (ly0 * (lx0 * v00).Plus(lx1 * v01)).Plus(ly1 * (lx0 * v10).Plus(lx1 * v11));
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Pixels in [0, 255] (uint8, or float after a resized crop) to float <c>(x / 255 - mean) / std</c> per channel,
    /// as torchvision's <c>Normalize(mean, std)</c> after <c>ToTensor</c>; mean and std are in [0, 1] units.
    /// </summary>
    public static Tensor Normalize(Tensor images, IReadOnlyList<double> mean, IReadOnlyList<double> std)
    {
        var (_, channels, _, _) = CheckImages(images, nameof(images));
        CheckStatistics(mean, std, channels);
        var scale = new float[channels];
        var shift = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            scale[c] = (float)(1.0 / (255.0 * std[c]));
            shift[c] = (float)(mean[c] / std[c]);
        }

        using var scope = torch.NewDisposeScope();
        var device = images.device;
        var floats = images.to(ScalarType.Float32);
        var result = (floats * torch.tensor(scale, [1, channels, 1, 1]).to(device)) - torch.tensor(shift, [1, channels, 1, 1]).to(device);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>Fills each sample's box (all channels) with <paramref name="value"/>; empty boxes leave a sample alone.
    /// Cutout and random erasing both end here, as torchvision's <c>erase</c>.</summary>
    public static Tensor Erase(Tensor images, IReadOnlyList<AugmentBox> boxes, double value = 0)
    {
        var (batch, _, height, width) = CheckImages(images, nameof(images));
        CheckCount(boxes.Count, batch, nameof(boxes));
        var bounds = new long[batch * 4];
        for (var b = 0; b < batch; b++)
        {
            var box = boxes[b];
            if (box.IsEmpty)
            {
                continue;
            }

            if (box.Top < 0 || box.Left < 0 || box.Bottom > height || box.Right > width)
            {
                throw new ArgumentOutOfRangeException(nameof(boxes), box, $"erase box of sample {b} must lie inside the {height} x {width} image");
            }

            bounds[(b * 4) + 0] = box.Top;
            bounds[(b * 4) + 1] = box.Bottom;
            bounds[(b * 4) + 2] = box.Left;
            bounds[(b * 4) + 3] = box.Right;
        }

        using var scope = torch.NewDisposeScope();
        var mask = BoxMask(bounds, batch, height, width, images.device);
        using var fill = value.ToScalar();
        return images.masked_fill(mask, fill).MoveToOuterDisposeScope();
    }

    /// <summary>Mixup: <c>λ x + (1 − λ) x[permutation]</c>.</summary>
    public static Tensor Mixup(Tensor images, IReadOnlyList<int> permutation, double lambda)
    {
        var (batch, _, _, _) = CheckImages(images, nameof(images));
        CheckPermutation(permutation, batch);
        CheckLambda(lambda);
        using var scope = torch.NewDisposeScope();
        var other = images.index_select(0, PermutationTensor(permutation, images.device));
        return ScalarSafe.WeightedSum(images, lambda, other, 1.0 - lambda).MoveToOuterDisposeScope();
    }

    /// <summary>CutMix: every sample's <paramref name="box"/> replaced by the same box of sample <c>permutation[i]</c>.</summary>
    public static Tensor CutMix(Tensor images, IReadOnlyList<int> permutation, AugmentBox box)
    {
        var (batch, _, height, width) = CheckImages(images, nameof(images));
        CheckPermutation(permutation, batch);
        if (box.Top < 0 || box.Left < 0 || box.Bottom > height || box.Right > width)
        {
            throw new ArgumentOutOfRangeException(nameof(box), box, $"cutmix box must lie inside the {height} x {width} image");
        }

        using var scope = torch.NewDisposeScope();
        if (box.IsEmpty)
        {
            return images.clone().MoveToOuterDisposeScope();
        }

        var other = images.index_select(0, PermutationTensor(permutation, images.device));
        var mask = BoxMask([box.Top, box.Bottom, box.Left, box.Right], 1, height, width, images.device);
        return torch.where(mask, other, images).MoveToOuterDisposeScope();
    }

    internal static (int Batch, int Channels, int Height, int Width) CheckImages(Tensor images, string name)
    {
        ArgumentNullException.ThrowIfNull(images, name);
        var shape = images.shape;
        if (shape.Length != 4)
        {
            throw new ArgumentException($"{name} must be a batch [B, C, H, W], got shape [{string.Join(", ", shape)}]", name);
        }

        return ((int)shape[0], (int)shape[1], (int)shape[2], (int)shape[3]);
    }

    internal static void CheckStatistics(IReadOnlyList<double> mean, IReadOnlyList<double> std, int channels)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Count != channels || std.Count != channels)
        {
            throw new ArgumentException($"normalisation needs one mean and one std per channel ({channels}), got {mean.Count} and {std.Count}");
        }

        for (var c = 0; c < channels; c++)
        {
            if (!double.IsFinite(mean[c]) || !double.IsFinite(std[c]) || std[c] <= 0)
            {
                throw new ArgumentException($"normalisation statistics of channel {c} are mean {mean[c]}, std {std[c]}: expected finite values and std > 0");
            }
        }
    }

    // PyTorch's upsample_bilinear2d index arithmetic (align_corners=False), in float as its CPU kernel does.
    private static void SourceIndices(int start, int length, int output, Span<long> index0, Span<long> index1, Span<float> weight1)
    {
        var scale = (float)length / output;
        for (var i = 0; i < output; i++)
        {
            var real = Math.Max((scale * (i + 0.5f)) - 0.5f, 0f);
            var i0 = (int)real;
            var i1 = i0 < length - 1 ? i0 + 1 : i0;
            index0[i] = start + i0;
            index1[i] = start + i1;
            weight1[i] = real - i0;
        }
    }

    // Gathers per-sample pixel positions (flat row * width + column of the source, [B, H, W]) for every channel.
    private static Tensor GatherPixels(Tensor source, Tensor flatIndex, int batch, int channels, int height, int width)
    {
        var sourceShape = source.shape;
        var flatSource = source.reshape(batch, channels, sourceShape[2] * sourceShape[3]);
        var index = flatIndex.reshape(batch, 1, (long)height * width).expand(batch, channels, (long)height * width);
        return flatSource.gather(2, index).view(batch, channels, height, width);
    }

    // bounds holds (top, bottom, left, right) per sample; the mask is [B, 1, H, W] and true inside the box.
    private static Tensor BoxMask(long[] bounds, int batch, int height, int width, Device device)
    {
        var b = torch.tensor(bounds, [batch, 4]).to(device);
        var rows = ScalarSafe.Arange(height, device).view(1, height);
        var cols = ScalarSafe.Arange(width, device).view(1, width);
        var inRows = rows.ge(b.narrow(1, 0, 1)).logical_and(rows.lt(b.narrow(1, 1, 1)));
        var inCols = cols.ge(b.narrow(1, 2, 1)).logical_and(cols.lt(b.narrow(1, 3, 1)));
        return inRows.view(batch, 1, height, 1).logical_and(inCols.view(batch, 1, 1, width));
    }

    private static Tensor PermutationTensor(IReadOnlyList<int> permutation, Device device) =>
        torch.tensor(permutation.Select(p => (long)p).ToArray()).to(device);

    private static void CheckCount(int count, int batch, string name)
    {
        if (count != batch)
        {
            throw new ArgumentException($"{name} has {count} entries for a batch of {batch}", name);
        }
    }

    private static void CheckPermutation(IReadOnlyList<int> permutation, int batch)
    {
        ArgumentNullException.ThrowIfNull(permutation);
        CheckCount(permutation.Count, batch, nameof(permutation));
        var seen = new bool[batch];
        foreach (var p in permutation)
        {
            if (p < 0 || p >= batch || seen[p])
            {
                throw new ArgumentException($"permutation must hold each of 0..{batch - 1} once; {p} is out of range or repeated", nameof(permutation));
            }

            seen[p] = true;
        }
    }

    private static void CheckLambda(double lambda)
    {
        if (!double.IsFinite(lambda) || lambda < 0 || lambda > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "mixing weight must be in [0, 1]");
        }
    }
}
