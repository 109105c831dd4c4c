
using AutoNet.Data.Decoding;

namespace AutoNet.Export.Onnx;

/// <summary>
/// How an image becomes the exported model's input: resized to <see cref="Height"/> × <see cref="Width"/> as
/// <see cref="Fit"/> says, laid out
/// NCHW in <see cref="ChannelOrder"/>, pixel values scaled by <see cref="PixelScale"/> (1/255 → [0, 1]), then each
/// channel c normalised as (value − Mean[c]) / Std[c]. Written into the model's metadata so anyone running the file
/// can feed it correctly.
/// </summary>
public sealed record OnnxPreprocessing(int Height, int Width, OnnxChannelOrder ChannelOrder, IReadOnlyList<double> Mean, IReadOnlyList<double> Std,
    double PixelScale = 1.0 / 255.0)
{
    /// <summary>The names model.json and the ONNX metadata give each fit.</summary>
    public static IReadOnlyDictionary<string, ImageFit> FitNames { get; } = new Dictionary<string, ImageFit>(StringComparer.Ordinal)
    {
        ["center_crop"] = ImageFit.CenterCrop,
        ["pad"] = ImageFit.Pad,
        ["stretch"] = ImageFit.Stretch,
    };

    public int Channels => ChannelOrder == OnnxChannelOrder.Grayscale ? 1 : 3;

    /// <summary>
    /// How an image of another size was brought to <see cref="Height"/> × <see cref="Width"/> for training (the
    /// decoded cache's <see cref="ImageTransform"/>), so inference must do the same. Packages written before it was
    /// recorded were centre-cropped, the only fit searches used then, hence the default.
    /// </summary>
    public ImageFit Fit { get; init; } = ImageFit.CenterCrop;

    /// <summary>The name of <paramref name="fit"/> in model.json and the ONNX metadata.</summary>
    public static string FitName(ImageFit fit) => FitNames.First(p => p.Value == fit).Key;

    /// <summary>One sentence on how <paramref name="fit"/> resizes, for people and other runtimes reading the metadata.</summary>
    public static string FitDescription(ImageFit fit) => fit switch
    {
        ImageFit.CenterCrop => "resize (bilinear, antialiased, rounded to uint8) so the image covers height x width keeping its aspect ratio, then cut the centre",
        ImageFit.Pad => "resize (bilinear, antialiased, rounded to uint8) so the whole image fits inside height x width keeping its aspect ratio, then pad the borders with black, centred",
        ImageFit.Stretch => "resize (bilinear, antialiased, rounded to uint8) to height x width exactly, changing the aspect ratio",
        _ => throw new ArgumentOutOfRangeException(nameof(fit), fit, null),
    };

    /// <summary>Throws naming the field when the description is inconsistent.</summary>
    public void Validate()
    {
        if (Height < 1 || Width < 1)
        {
            throw new ArgumentException($"preprocessing: the input resolution must be positive, got {Height}x{Width}");
        }

        if (Mean is null || Mean.Count != Channels)
        {
            throw new ArgumentException($"preprocessing: mean has {Mean?.Count ?? 0} values, {ChannelOrder} input has {Channels} channels");
        }

        if (Std is null || Std.Count != Channels)
        {
            throw new ArgumentException($"preprocessing: std has {Std?.Count ?? 0} values, {ChannelOrder} input has {Channels} channels");
        }

        if (Std.Any(s => !(s > 0) || double.IsInfinity(s)) || Mean.Any(m => !double.IsFinite(m)))
        {
            throw new ArgumentException($"preprocessing: std must be positive and finite and mean finite, got mean [{string.Join(", ", Mean)}], std [{string.Join(", ", Std)}]");
        }

        if (!Enum.IsDefined(Fit))
        {
            throw new ArgumentException($"preprocessing: the fit must be one of {string.Join(", ", FitNames.Keys)}, got {Fit}");
        }

        if (!(PixelScale > 0) || double.IsInfinity(PixelScale))
        {
            throw new ArgumentException($"preprocessing: the pixel scale must be positive, got {PixelScale}");
        }
    }
}
