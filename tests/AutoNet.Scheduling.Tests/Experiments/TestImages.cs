using AutoNet.Data.Drawing;

namespace AutoNet.Scheduling.Tests.Experiments;

internal static class TestImages
{
    /// <summary>A class-folder tree of random grey PNGs in <paramref name="directory"/>/images.</summary>
    public static string WriteFolder(string directory, (string Name, int Count)[] classes, int side, int seed)
    {
        var folder = Path.Join(directory, "images");
        var random = new Random(seed);
        foreach (var (name, count) in classes)
        {
            Directory.CreateDirectory(Path.Join(folder, name));
            for (var i = 0; i < count; i++)
            {
                var pixels = new byte[side * side];
                random.NextBytes(pixels);
                PngWriter.Write(Path.Join(folder, name, $"{i}.png"), pixels, side, side, 1);
            }
        }

        return folder;
    }
}
