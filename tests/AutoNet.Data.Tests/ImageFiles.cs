using AutoNet.Data.Drawing;

namespace AutoNet.Data.Tests;

/// <summary>Writes real PNG images (random pixels, seeded) into a test folder through <see cref="PngWriter"/>.</summary>
internal static class ImageFiles
{
    public static byte[] Png(TempTree tree, string relative, int width, int height, int channels = 1, int seed = 0)
    {
        var pixels = new byte[width * height * channels];
        new Random(seed).NextBytes(pixels);
        var path = tree.PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, PngWriter.Encode(pixels, width, height, channels));
        return pixels;
    }

    /// <summary>A class folder per name with that many small grey PNGs each, every image different.</summary>
    public static void Classes(TempTree tree, int size, params (string Name, int Count)[] classes)
    {
        var seed = 1;
        foreach (var (name, count) in classes)
        {
            for (var i = 0; i < count; i++)
            {
                Png(tree, $"{name}/img{i:D3}.png", size, size, 1, seed++);
            }
        }
    }
}
