using AutoNet.Torch.Scalars;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Data.Decoding;

/// <summary>
/// Brings a decoded image (uint8 [H, W, C] as <see cref="ImageDecoder"/> returns it, C = 1 grey, 2 grey+alpha, 3 RGB,
/// 4 RGBA) to the cache's layout: uint8 [C', H', W'] with C' = 1 or 3 channels at the target size. Alpha is dropped;
/// grey becomes RGB by repetition and colour becomes grey with Pillow's integer luma weights, so the channels equal
/// Pillow's <c>convert("L"|"RGB")</c>. Resizing is bilinear with antialiasing, computed in float32 and rounded, as
/// torchvision's <c>resize(tensor, antialias=True)</c>; the aspect ratio is kept by <see cref="ImageFit"/>.
/// </summary>
public sealed class ImageTransform
{
    public ImageTransform(int height, int width, int channels, ImageFit fit = ImageFit.CenterCrop)
    {
        if (height <= 0 || width <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(height), $"the target size must be positive, got {height} x {width}");
        }

        if (channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "the cache keeps 1 (grey) or 3 (RGB) channels");
        }

        Height = height;
        Width = width;
        Channels = channels;
        Fit = fit;
    }

    public int Height { get; }

    public int Width { get; }

    public int Channels { get; }

    public ImageFit Fit { get; }

    /// <summary>Bytes of one transformed image: C' × H' × W'.</summary>
    public int OutputLength => Channels * Height * Width;

    /// <summary>
    /// The size an h × w image is resized to before it is cropped (<see cref="ImageFit.CenterCrop"/>) or padded
    /// (<see cref="ImageFit.Pad"/>) to the target. CenterCrop follows torchvision's Resize(int): the binding side gets
    /// the target, the other side the truncated proportional length.
    /// </summary>
    public (int Height, int Width) ResizedSize(int height, int width)
    {
        long h = height, w = width, th = Height, tw = Width;
        switch (Fit)
        {
            case ImageFit.Stretch:
                return (Height, Width);
            case ImageFit.CenterCrop:
                return th * w >= tw * h
                    ? (Height, (int)Math.Max(tw, w * th / h))
                    : ((int)Math.Max(th, h * tw / w), Width);
            default:
                return th * w <= tw * h
                    ? (Height, (int)Math.Clamp(((2 * w * th) + h) / (2 * h), 1, tw))
                    : ((int)Math.Clamp(((2 * h * tw) + w) / (2 * w), 1, th), Width);
        }
    }

    /// <summary>Transforms a decoded [H, W, C] uint8 tensor into <paramref name="output"/> (length <see cref="OutputLength"/>).</summary>
    public void Apply(Tensor hwc, Span<byte> output)
    {
        ArgumentNullException.ThrowIfNull(hwc);
        var shape = hwc.shape;
        if (shape.Length != 3 || hwc.dtype != ScalarType.Byte || hwc.device_type != DeviceType.CPU)
        {
            throw new ArgumentException($"expected a uint8 CPU image [H, W, C], got {hwc.dtype} [{string.Join(", ", shape)}] on {hwc.device}", nameof(hwc));
        }

        using var contiguous = hwc.contiguous();
        Apply(contiguous.bytes, checked((int)shape[0]), checked((int)shape[1]), checked((int)shape[2]), output);
    }

    /// <summary>Transforms [H, W, C] uint8 pixels into <paramref name="output"/> (length <see cref="OutputLength"/>).</summary>
    public void Apply(ReadOnlySpan<byte> hwc, int height, int width, int channels, Span<byte> output)
    {
        if (channels is < 1 or > 4 || height <= 0 || width <= 0 || hwc.Length != (long)height * width * channels)
        {
            throw new ArgumentException($"pixels ({hwc.Length} bytes) do not match an image of {height} x {width} x {channels}", nameof(hwc));
        }

        if (output.Length != OutputLength)
        {
            throw new ArgumentException($"output holds {output.Length} bytes, expected {OutputLength}", nameof(output));
        }

        var (rh, rw) = ResizedSize(height, width);
        if (rh == height && rw == width && rh == Height && rw == Width)
        {
            ToPlanes(hwc, height * width, channels, Channels, output);
            return;
        }

        var planes = new byte[Channels * height * width];
        ToPlanes(hwc, height * width, channels, Channels, planes);
        byte[] resized;
        if (rh == height && rw == width)
        {
            resized = planes;
        }
        else
        {
            using var scope = torch.NewDisposeScope();
            var source = torch.tensor(planes, [1, Channels, height, width]).to(ScalarType.Float32);
            var scaled = nn.functional.interpolate(source, [rh, rw], mode: InterpolationMode.Bilinear, align_corners: false, antialias: true);
            resized = scaled.round().clamp(HeldScalars.Zero, HeldScalars.ByteMax).to(ScalarType.Byte).data<byte>().ToArray();
        }

        Place(resized, rh, rw, output);
    }

    /// <summary>Crops the centre of, or pads around, a resized [C', rh, rw] image into the [C', H', W'] output.</summary>
    private void Place(ReadOnlySpan<byte> resized, int rh, int rw, Span<byte> output)
    {
        // Crop offsets round half to even, as torchvision's center_crop (Python's round) does.
        var top = (int)Math.Round((rh - Height) / 2.0, MidpointRounding.ToEven);
        var left = (int)Math.Round((rw - Width) / 2.0, MidpointRounding.ToEven);
        if (rh < Height || rw < Width)
        {
            output.Clear();
            top = (Height - rh) / 2;
            left = (Width - rw) / 2;
            for (var c = 0; c < Channels; c++)
            {
                for (var y = 0; y < rh; y++)
                {
                    resized.Slice((((c * rh) + y) * rw), rw).CopyTo(output.Slice((((c * Height) + top + y) * Width) + left, rw));
                }
            }

            return;
        }

        for (var c = 0; c < Channels; c++)
        {
            for (var y = 0; y < Height; y++)
            {
                resized.Slice((((c * rh) + top + y) * rw) + left, Width).CopyTo(output.Slice(((c * Height) + y) * Width, Width));
            }
        }
    }

    /// <summary>Interleaved pixels to planes with the wanted channel count (alpha dropped, grey ⇄ RGB converted).</summary>
    private static void ToPlanes(ReadOnlySpan<byte> hwc, int pixels, int channels, int wanted, Span<byte> planes)
    {
        var colour = channels >= 3;
        if (wanted == 1)
        {
            for (var i = 0; i < pixels; i++)
            {
                var p = i * channels;
                // Pillow's L24: (R·19595 + G·38470 + B·7471 + 0x8000) >> 16.
                planes[i] = colour
                    ? (byte)(((hwc[p] * 19595) + (hwc[p + 1] * 38470) + (hwc[p + 2] * 7471) + 0x8000) >> 16)
                    : hwc[p];
            }

            return;
        }

        for (var i = 0; i < pixels; i++)
        {
            var p = i * channels;
            planes[i] = hwc[p];
            planes[pixels + i] = colour ? hwc[p + 1] : hwc[p];
            planes[(2 * pixels) + i] = colour ? hwc[p + 2] : hwc[p];
        }
    }
}
