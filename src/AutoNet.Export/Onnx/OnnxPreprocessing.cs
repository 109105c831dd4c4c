namespace AutoNet.Export.Onnx;

/// <summary>
/// How an image becomes the exported model's input: resized to <see cref="Height"/> × <see cref="Width"/>, laid out
/// NCHW in <see cref="ChannelOrder"/>, pixel values scaled by <see cref="PixelScale"/> (1/255 → [0, 1]), then each
/// channel c normalised as (value − Mean[c]) / Std[c]. Written into the model's metadata so anyone running the file
/// can feed it correctly.
/// </summary>
public sealed record OnnxPreprocessing(int Height, int Width, OnnxChannelOrder ChannelOrder, IReadOnlyList<double> Mean, IReadOnlyList<double> Std,
    double PixelScale = 1.0 / 255.0)
{
    public int Channels => ChannelOrder == OnnxChannelOrder.Grayscale ? 1 : 3;

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

        if (!(PixelScale > 0) || double.IsInfinity(PixelScale))
        {
            throw new ArgumentException($"preprocessing: the pixel scale must be positive, got {PixelScale}");
        }
    }
}
