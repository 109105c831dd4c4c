using AutoNet.Cli.Prediction;
using AutoNet.Data.Drawing;
using AutoNet.Export.Onnx;
using AutoNet.Export.Tests.Onnx;

namespace AutoNet.Cli.Tests;

public sealed class PackageImageReaderTests : IDisposable
{
    // Pillow decodes and converts the mode, torchvision resizes (antialiased, shorter side to 20) and crops the centre.
    private const string Reference = """
        import sys
        from PIL import Image
        import torchvision.transforms.functional as F
        path, size = sys.argv[1], int(sys.argv[2])
        for mode in ("L", "RGB"):
            t = F.center_crop(F.resize(F.pil_to_tensor(Image.open(path).convert(mode)), size, antialias=True), size)
            sys.stdout.write(",".join(str(v) for v in t.flatten().tolist()) + "\n")
        """;

    private readonly string work = Directory.CreateTempSubdirectory("autonet-reader-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Fact]
    public void Read_gives_pillow_and_torchvision_s_resized_centre_crop_in_the_package_s_channel_order()
    {
        const int width = 37, height = 29;
        var random = new Random(5);
        var pixels = new byte[width * height * 3];
        for (var i = 0; i < pixels.Length; i++)
        {
            var (y, x, c) = (i / (width * 3), i / 3 % width, i % 3);
            pixels[i] = (byte)Math.Clamp((x * 6) + (y * 3 * (c + 1)) + random.Next(-20, 20), 0, 255);
        }

        var path = Path.Join(work, "colour.png");
        File.WriteAllBytes(path, PngWriter.Encode(pixels, width, height, 3));
        var (code, stdout, stderr) = OnnxPeers.RunProcess(OnnxPeers.Python, ["-c", Reference, path, "20"], null);
        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(',').Select(byte.Parse).ToArray()).ToArray();
        var (grey, rgb) = (lines[0], lines[1]);
        var bgr = rgb[800..].Concat(rgb[400..800]).Concat(rgb[..400]).ToArray();

        Assert.Equal(grey, ReadWith(OnnxChannelOrder.Grayscale, path));
        AssertWithinOne(rgb, ReadWith(OnnxChannelOrder.Rgb, path));
        AssertWithinOne(bgr, ReadWith(OnnxChannelOrder.Bgr, path));
    }

    private static byte[] ReadWith(OnnxChannelOrder order, string path)
    {
        var channels = order == OnnxChannelOrder.Grayscale ? 1 : 3;
        var reader = new PackageImageReader(new OnnxPreprocessing(20, 20, order, [.. Enumerable.Repeat(0.5, channels)], [.. Enumerable.Repeat(0.25, channels)]));
        var output = new byte[reader.ImageBytes];
        reader.Read(path, output);
        return output;
    }

    private static void AssertWithinOne(byte[] expected, byte[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= 1, $"pixels differ by up to {worst}");
    }
}
