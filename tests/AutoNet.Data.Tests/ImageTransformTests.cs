using System.Text.Json.Nodes;
using AutoNet.Data.Decoding;
using AutoNet.Torch.Tests.Reference;
using Xunit.Abstractions;

namespace AutoNet.Data.Tests;

[Collection(LoaderLiveTensorCollection.Name)]
public sealed class ImageTransformTests
{
    private readonly ITestOutputHelper output;

    public ImageTransformTests(ITestOutputHelper output) => this.output = output;

    [Fact]
    public void Resizing_every_mode_and_fit_matches_torchvision_exactly_and_pillow_within_one()
    {
        using var tree = new TempTree();
        var configs = new JsonArray(
            new JsonArray(32, 32, 3, "crop"), new JsonArray(32, 32, 1, "crop"), new JsonArray(24, 40, 3, "crop"),
            new JsonArray(32, 32, 3, "pad"), new JsonArray(20, 36, 1, "pad"), new JsonArray(28, 28, 3, "stretch"),
            new JsonArray(96, 96, 3, "crop"));
        var reply = PythonReference.Run("transform_reference.py", new JsonObject { ["op"] = "transform", ["dir"] = tree.Root, ["configs"] = configs });
        var worstTorchvision = 0;
        var worstPillow = 0;
        var cases = reply["cases"]!.AsArray();
        Assert.Equal(7 * 7, cases.Count);
        foreach (var item in cases)
        {
            var config = item!["config"]!.AsArray();
            var fit = config[3]!.GetValue<string>() switch
            {
                "crop" => ImageFit.CenterCrop,
                "pad" => ImageFit.Pad,
                _ => ImageFit.Stretch,
            };
            var transform = new ImageTransform(config[0]!.GetValue<int>(), config[1]!.GetValue<int>(), config[2]!.GetValue<int>(), fit);
            var ours = new byte[transform.OutputLength];
            using (var decoded = ImageDecoder.Default.DecodeFile(item["file"]!.GetValue<string>()))
            {
                transform.Apply(decoded, ours);
            }

            var torchvision = MaxDifference(ours, item["torchvision"]!);
            var pillow = MaxDifference(ours, item["pillow"]!);
            output.WriteLine($"{Path.GetFileName(item["file"]!.GetValue<string>())} {config.ToJsonString()}: torchvision {torchvision}, Pillow {pillow}");
            worstTorchvision = Math.Max(worstTorchvision, torchvision);
            worstPillow = Math.Max(worstPillow, pillow);
        }

        Assert.Equal(0, worstTorchvision);
        Assert.InRange(worstPillow, 0, 1);
    }

    [Theory]
    [InlineData(100, 50, 32, 32, ImageFit.CenterCrop, 64, 32)]
    [InlineData(50, 100, 32, 32, ImageFit.CenterCrop, 32, 64)]
    [InlineData(100, 50, 32, 32, ImageFit.Pad, 32, 16)]
    [InlineData(50, 100, 32, 32, ImageFit.Pad, 16, 32)]
    [InlineData(1, 3000, 32, 32, ImageFit.Pad, 1, 32)]
    [InlineData(1, 3000, 32, 32, ImageFit.CenterCrop, 32, 96000)]
    [InlineData(77, 33, 20, 30, ImageFit.Stretch, 20, 30)]
    public void Resized_sizes_cover_or_fit_the_target(int width, int height, int targetWidth, int targetHeight, ImageFit fit, int expectedWidth, int expectedHeight)
    {
        var transform = new ImageTransform(targetHeight, targetWidth, 3, fit);
        Assert.Equal((expectedHeight, expectedWidth), transform.ResizedSize(height, width));
    }

    [Fact]
    public void Alpha_is_dropped_and_grey_is_repeated_into_rgb_without_resizing()
    {
        // 1 x 2 grey+alpha pixels: (10, 255), (200, 0).
        var toRgb = new ImageTransform(1, 2, 3);
        var rgb = new byte[6];
        toRgb.Apply([10, 255, 200, 0], 1, 2, 2, rgb);
        Assert.Equal(new byte[] { 10, 200, 10, 200, 10, 200 }, rgb);

        // RGBA to grey with Pillow's weights: (255, 0, 0) → 76, (0, 0, 255) → 29.
        var toGrey = new ImageTransform(1, 2, 1);
        var grey = new byte[2];
        toGrey.Apply([255, 0, 0, 9, 0, 0, 255, 9], 1, 2, 4, grey);
        Assert.Equal(new byte[] { 76, 29 }, grey);
    }

    [Fact]
    public void Bad_arguments_name_what_was_expected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageTransform(32, 32, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageTransform(0, 32, 3));
        var transform = new ImageTransform(2, 2, 1);
        var error = Assert.Throws<ArgumentException>(() => transform.Apply(new byte[5], 2, 2, 1, new byte[4]));
        Assert.Contains("2 x 2 x 1", error.Message);
    }

    [Fact]
    public void Transforming_many_images_leaks_no_tensors()
    {
        var transform = new ImageTransform(16, 16, 3);
        var pixels = Enumerable.Range(0, 40 * 30 * 3).Select(i => (byte)i).ToArray();
        var target = new byte[transform.OutputLength];
        transform.Apply(pixels, 30, 40, 3, target);
        var before = AutoNet.Torch.TorchEngine.CountLiveTensors();
        for (var i = 0; i < 50; i++)
        {
            transform.Apply(pixels, 30, 40, 3, target);
        }

        Assert.Equal(before, AutoNet.Torch.TorchEngine.CountLiveTensors());
    }

    private static int MaxDifference(byte[] ours, JsonNode expected)
    {
        using var tensor = PythonReference.Decode(expected);
        var reference = tensor.data<byte>().ToArray();
        Assert.Equal(reference.Length, ours.Length);
        return ours.Zip(reference, (a, b) => Math.Abs(a - b)).Max();
    }
}
