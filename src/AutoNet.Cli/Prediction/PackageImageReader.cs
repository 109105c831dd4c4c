using AutoNet.Data.Decoding;
using AutoNet.Export.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Cli.Prediction;

/// <summary>
/// Turns image files into a packaged model's input the way training saw them: decoded by <see cref="ImageDecoder"/>,
/// brought to the package's resolution and channel count by <see cref="ImageTransform"/> (the decoded cache's
/// bilinear antialiased resize, then the package's fit: centre crop, pad or stretch, as model.json records it;
/// centre crop for packages older than that record), put in the package's channel order, then normalised per channel
/// as (pixel × pixel scale − mean) / std.
/// </summary>
public sealed class PackageImageReader
{
    private readonly ImageDecoder decoder;

    public PackageImageReader(OnnxPreprocessing preprocessing, ImageDecoder? decoder = null)
    {
        ArgumentNullException.ThrowIfNull(preprocessing);
        preprocessing.Validate();
        Preprocessing = preprocessing;
        Transform = new ImageTransform(preprocessing.Height, preprocessing.Width, preprocessing.Channels, preprocessing.Fit);
        this.decoder = decoder ?? ImageDecoder.Default;
    }

    public OnnxPreprocessing Preprocessing { get; }

    public ImageTransform Transform { get; }

    /// <summary>Bytes of one image as <see cref="Read"/> returns it: channels × height × width.</summary>
    public int ImageBytes => Transform.OutputLength;

    /// <summary>
    /// Decodes one file into <paramref name="output"/> as uint8 [C, H, W] in the package's channel order. A file that
    /// is not a decodable image is an <see cref="ImageDecodeException"/> naming it; an unreadable one an IOException.
    /// </summary>
    public void Read(string path, Span<byte> output)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var image = decoder.DecodeFile(path);
        Transform.Apply(image, output);
        if (Preprocessing.ChannelOrder == OnnxChannelOrder.Bgr)
        {
            var plane = Transform.Height * Transform.Width;
            var red = output[..plane].ToArray();
            output.Slice(2 * plane, plane).CopyTo(output[..plane]);
            red.CopyTo(output.Slice(2 * plane, plane));
        }
    }

    /// <summary>uint8 [N, C, H, W] pixels (any device) to the model's float32 input on the same device.</summary>
    public Tensor Normalize(Tensor pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        var shape = pixels.shape;
        if (shape.Length != 4 || shape[1] != Preprocessing.Channels)
        {
            throw new ArgumentException($"expected pixels [N, {Preprocessing.Channels}, H, W], got [{string.Join(", ", shape)}]", nameof(pixels));
        }

        var channels = Preprocessing.Channels;
        var scale = new float[channels];
        var shift = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            // As the training loader (BatchAugmentations.Normalize): one multiply and one subtract in float32.
            scale[c] = (float)(Preprocessing.PixelScale / Preprocessing.Std[c]);
            shift[c] = (float)(Preprocessing.Mean[c] / Preprocessing.Std[c]);
        }

        using var scope = torch.NewDisposeScope();
        var device = pixels.device;
        var result = (pixels.to(ScalarType.Float32) * torch.tensor(scale, [1, channels, 1, 1]).to(device))
            - torch.tensor(shift, [1, channels, 1, 1]).to(device);
        return result.MoveToOuterDisposeScope();
    }
}
