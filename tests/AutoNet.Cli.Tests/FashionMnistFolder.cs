using System.IO.Compression;
using AutoNet.Data.Drawing;
using AutoNet.Data.Sources;

namespace AutoNet.Cli.Tests;

/// <summary>
/// An image folder a user could have: 1,200 Fashion-MNIST training images (the first 120 of each class) as 28 x 28
/// grey PNGs in one sub-folder per class, written once per test class.
/// </summary>
public sealed class FashionMnistFolder : IDisposable
{
    public const int PerClass = 120;

    public FashionMnistFolder()
    {
        Path_ = Directory.CreateTempSubdirectory("autonet-search-data-").FullName;
        Write(Path_, PerClass);
    }

    public string Path_ { get; }

    /// <summary>
    /// Writes the first <paramref name="perClass"/> images of each class of the <paramref name="set"/> file set (<c>train</c> or
    /// <c>t10k</c>, the test images) as PNGs into class sub-folders of <paramref name="root"/>.
    /// </summary>
    public static void Write(string root, int perClass, string set = "train")
    {
        var (images, labels) = Read(set);
        var written = new int[10];
        for (var i = 0; i < labels.Length && written.Any(w => w < perClass); i++)
        {
            var label = labels[i];
            if (written[label] == perClass)
            {
                continue;
            }

            var folder = Path.Join(root, $"class{label}");
            Directory.CreateDirectory(folder);
            PngWriter.Write(Path.Join(folder, $"{i:D5}.png"), images.AsSpan(i * 784, 784), 28, 28, 1);
            written[label]++;
        }
    }

    /// <summary>The 28 x 28 images (row after row, 784 bytes each) and labels of the <c>train</c> or <c>t10k</c> file set.</summary>
    public static (byte[] Images, byte[] Labels) Read(string set) =>
        (ReadIdx(Path.Join(BuiltInDataSets.FashionMnistFolder, $"{set}-images-idx3-ubyte.gz"), 16),
         ReadIdx(Path.Join(BuiltInDataSets.FashionMnistFolder, $"{set}-labels-idx1-ubyte.gz"), 8));

    public void Dispose() => Directory.Delete(Path_, recursive: true);

    private static byte[] ReadIdx(string path, int headerBytes)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray()[headerBytes..];
    }
}
