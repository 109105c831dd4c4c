using System.Buffers.Binary;
using System.IO.Compression;

namespace AutoNet.Data.Drawing;

/// <summary>
/// Writes 8-bit PNG files (grey, grey+alpha, RGB or RGBA) from interleaved [H, W, C] pixels: IHDR, one zlib IDAT
/// with filter 0 rows, IEND. Small and dependency-free; used for contact sheets and test images.
/// </summary>
public static class PngWriter
{
    private static readonly uint[] CrcTable = MakeCrcTable();

    /// <summary>Writes the image to <paramref name="path"/> through a temporary file, so a crash leaves no half PNG.</summary>
    public static void Write(string path, ReadOnlySpan<byte> hwc, int width, int height, int channels)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var bytes = Encode(hwc, width, height, channels);
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, path, overwrite: true);
    }

    public static byte[] Encode(ReadOnlySpan<byte> hwc, int width, int height, int channels)
    {
        if (width <= 0 || height <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"a PNG needs a positive size, got {width} x {height}");
        }

        var colorType = channels switch
        {
            1 => 0,
            2 => 4,
            3 => 2,
            4 => 6,
            _ => throw new ArgumentOutOfRangeException(nameof(channels), channels, "expected 1, 2, 3 or 4 channels"),
        };
        var stride = width * channels;
        if (hwc.Length != (long)stride * height)
        {
            throw new ArgumentException($"{hwc.Length} bytes do not match {width} x {height} x {channels}", nameof(hwc));
        }

        using var output = new MemoryStream();
        output.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8;
        header[9] = (byte)colorType;
        WriteChunk(output, "IHDR"u8, header);

        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                for (var y = 0; y < height; y++)
                {
                    zlib.WriteByte(0);
                    zlib.Write(hwc.Slice(y * stride, stride));
                }
            }

            WriteChunk(output, "IDAT"u8, compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        }

        WriteChunk(output, "IEND"u8, []);
        return output.ToArray();
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> kind, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        output.Write(kind);
        output.Write(data);
        var crc = Update(Update(0xFFFFFFFFu, kind), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        output.Write(word);
    }

    private static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    private static uint[] MakeCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
