using System.Text.Json.Nodes;
using AutoNet.Data.Drawing;
using AutoNet.Torch.Tests.Reference;

namespace AutoNet.Data.Tests;

public sealed class PngWriterTests
{
    [Fact]
    public void Pillow_reads_back_exactly_the_pixels_written_in_every_channel_count()
    {
        using var tree = new TempTree();
        var written = new List<byte[]>();
        var files = new JsonArray();
        for (var channels = 1; channels <= 4; channels++)
        {
            written.Add(ImageFiles.Png(tree, $"c{channels}.png", 37, 19, channels, seed: channels));
            files.Add(tree.PathOf($"c{channels}.png"));
        }

        var reply = PythonReference.Run("transform_reference.py", new JsonObject { ["op"] = "read", ["files"] = files });
        var images = reply["images"]!.AsArray();
        for (var i = 0; i < 4; i++)
        {
            using var image = PythonReference.Decode(images[i]!);
            Assert.Equal(new long[] { 19, 37, i + 1 }, image.shape);
            Assert.Equal(written[i], image.data<byte>().ToArray());
        }
    }

    [Fact]
    public void Sizes_that_do_not_match_the_pixels_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => PngWriter.Encode(new byte[10], 3, 3, 1));
        Assert.Contains("3 x 3 x 1", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => PngWriter.Encode(new byte[9], 3, 3, 5));
    }
}
