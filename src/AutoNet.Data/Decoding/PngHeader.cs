using System.Buffers.Binary;

namespace AutoNet.Data.Decoding;

/// <summary>
/// The channels a PNG decodes to, from its IHDR colour type and, for a palette image, whether a tRNS chunk comes
/// before the pixel data: grey 1, grey+alpha 2, RGB 3, RGBA 4, palette 3 (4 with tRNS), as Pillow opens them
/// (L, LA, RGB, RGBA, P → RGB/RGBA). A tRNS key colour on a grey or RGB image adds no channel, as in Pillow.
/// </summary>
internal static class PngHeader
{
    /// <summary>Width, height and channels from IHDR, or null when the header cannot be read (Skia reports why).</summary>
    public static (int Width, int Height, int Channels)? Read(ReadOnlySpan<byte> data)
    {
        if (Channels(data) is not { } channels)
        {
            return null;
        }

        var width = BinaryPrimitives.ReadUInt32BigEndian(data[16..]);
        var height = BinaryPrimitives.ReadUInt32BigEndian(data[20..]);
        return width is 0 or > int.MaxValue || height is 0 or > int.MaxValue ? null : ((int)width, (int)height, channels);
    }

    /// <summary>The channel count, or null when the header cannot be read (Skia reports why).</summary>
    public static int? Channels(ReadOnlySpan<byte> data)
    {
        // Signature (8) + IHDR length and type (8) + width, height, depth, colour type.
        if (data.Length < 8 + 8 + 13 || !data.Slice(12, 4).SequenceEqual("IHDR"u8))
        {
            return null;
        }

        switch (data[25])
        {
            case 0:
                return 1;
            case 2:
                return 3;
            case 4:
                return 2;
            case 6:
                return 4;
            case 3:
                return HasTransparencyChunk(data) ? 4 : 3;
            default:
                return null;
        }
    }

    private static bool HasTransparencyChunk(ReadOnlySpan<byte> data)
    {
        var pos = 8;
        while (pos + 8 <= data.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(data[pos..]);
            var kind = data.Slice(pos + 4, 4);
            if (kind.SequenceEqual("tRNS"u8))
            {
                return true;
            }

            if (kind.SequenceEqual("IDAT"u8) || length > int.MaxValue - 12 - pos)
            {
                return false;
            }

            pos += 12 + (int)length;
        }

        return false;
    }
}
