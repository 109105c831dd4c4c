using System.Buffers.Binary;
using System.IO.Compression;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Torch.Tests;

/// <summary>Reads Debian's dataset-fashion-mnist IDX files (gzip) into uint8 images [N,1,28,28] and int64 labels.</summary>
public static class FashionMnist
{
    public const string Folder = "/usr/share/datasets/fashion-mnist";

    public static bool IsInstalled => File.Exists(Path.Combine(Folder, "train-images-idx3-ubyte.gz"));

    public static (Tensor Images, Tensor Labels) Load(bool train, int? limit = null)
    {
        var prefix = train ? "train" : "t10k";
        var images = ReadIdx(Path.Combine(Folder, $"{prefix}-images-idx3-ubyte.gz"), 0x00000803);
        var labels = ReadIdx(Path.Combine(Folder, $"{prefix}-labels-idx1-ubyte.gz"), 0x00000801);
        var count = Math.Min(limit ?? int.MaxValue, labels.Count);
        using var labelBytes = torch.tensor(labels.Data.AsSpan(0, count).ToArray(), [count]);
        return (torch.tensor(images.Data.AsSpan(0, count * 28 * 28).ToArray(), [count, 1, 28, 28]), labelBytes.to(ScalarType.Int64));
    }

    private static (byte[] Data, int Count) ReadIdx(string path, int magic)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        var bytes = memory.ToArray();
        var header = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (header != magic)
        {
            throw new InvalidDataException($"{path}: IDX magic 0x{header:x8}, expected 0x{magic:x8}");
        }

        var dims = magic & 0xff;
        var count = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4));
        return (bytes[(4 + 4 * dims)..], count);
    }
}
