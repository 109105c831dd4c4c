namespace AutoNet.Data.Decoding;

/// <summary>Applies an EXIF orientation (1–8) to interleaved pixels, as PIL.ImageOps.exif_transpose does.</summary>
internal static class ExifOrientation
{
    /// <summary>Whether the orientation swaps width and height (5–8: the image is stored transposed).</summary>
    public static bool Transposes(int orientation) => orientation is >= 5 and <= 8;

    public static DecodedImage Apply(DecodedImage image, int orientation)
    {
        if (orientation is < 2 or > 8)
        {
            return image;
        }

        var (h, w, c) = (image.Height, image.Width, image.Channels);
        var (outH, outW) = Transposes(orientation) ? (w, h) : (h, w);
        var source = image.Pixels;
        var target = new byte[source.Length];
        for (var y = 0; y < outH; y++)
        {
            for (var x = 0; x < outW; x++)
            {
                // The stored pixel that lands at (y, x) once the image is turned upright.
                var (sy, sx) = orientation switch
                {
                    2 => (y, w - 1 - x),
                    3 => (h - 1 - y, w - 1 - x),
                    4 => (h - 1 - y, x),
                    5 => (x, y),
                    6 => (h - 1 - x, y),
                    7 => (h - 1 - x, w - 1 - y),
                    _ => (x, w - 1 - y),
                };
                source.AsSpan(((sy * w) + sx) * c, c).CopyTo(target.AsSpan(((y * outW) + x) * c, c));
            }
        }

        return new DecodedImage(target, outH, outW, c);
    }
}
