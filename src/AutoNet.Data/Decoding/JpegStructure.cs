namespace AutoNet.Data.Decoding;

/// <summary>
/// Walks a JPEG's markers and entropy-coded scans up to its end-of-image marker. Skia's decoder, like libjpeg under
/// it, pads a scan that ends early or is broken by a stray marker with grey and reports success; Pillow refuses both
/// ("image file is truncated", "broken data stream"), and a training set must not learn from the grey. Damage inside
/// the Huffman-coded bits themselves is not found here (only a full decode would find it).
/// </summary>
internal static class JpegStructure
{
    /// <summary>Null when the structure is whole; otherwise why not, with <paramref name="failure"/> set.</summary>
    public static string? FindDamage(ReadOnlySpan<byte> data, out ImageDecodeFailure failure)
    {
        failure = ImageDecodeFailure.Truncated;
        var pos = 2;
        var inScan = false;
        while (true)
        {
            if (inScan)
            {
                var next = data[pos..].IndexOf((byte)0xFF);
                if (next < 0 || pos + next + 1 >= data.Length)
                {
                    return $"the scan data ends at byte {data.Length} without an end-of-image marker";
                }

                pos += next;
                var code = data[pos + 1];
                if (code == 0x00 || code is >= 0xD0 and <= 0xD7)
                {
                    pos += 2;
                    continue;
                }

                if (code == 0xFF)
                {
                    pos++;
                    continue;
                }

                inScan = false;
            }

            // Bytes before a marker are tolerated, as libjpeg (with a warning) and Pillow tolerate them.
            var start = data[pos..].IndexOf((byte)0xFF);
            if (start < 0)
            {
                return $"the data ends at byte {data.Length} without an end-of-image marker";
            }

            pos += start;
            while (pos < data.Length && data[pos] == 0xFF)
            {
                pos++;
            }

            if (pos >= data.Length)
            {
                return $"the data ends at byte {data.Length} without an end-of-image marker";
            }

            var marker = data[pos];
            var at = pos - 1;
            pos++;
            switch (marker)
            {
                case 0xD9:
                    return null;
                case 0x01 or (>= 0xD0 and <= 0xD7):
                    continue;
                case (>= 0xC0 and <= 0xCF) or 0xDA or 0xDB or 0xDC or 0xDD or 0xDE or 0xDF or (>= 0xE0 and <= 0xEF) or 0xFE:
                    break;
                default:
                    failure = ImageDecodeFailure.Corrupt;
                    return $"unknown marker 0xFF{marker:X2} at byte {at}";
            }

            if (pos + 2 > data.Length)
            {
                return $"the segment of marker 0xFF{marker:X2} at byte {at} is cut off";
            }

            var length = (data[pos] << 8) | data[pos + 1];
            if (length < 2)
            {
                failure = ImageDecodeFailure.Corrupt;
                return $"the segment of marker 0xFF{marker:X2} at byte {at} claims {length} bytes";
            }

            if (pos + length > data.Length)
            {
                return $"the segment of marker 0xFF{marker:X2} at byte {at} claims {length} bytes, past the end of the data";
            }

            pos += length;
            inScan = marker == 0xDA;
        }
    }
}
