using SkiaSharp;

namespace AutoNet.Data.Drawing;

/// <summary>Writes a drawn bitmap as a PNG file, through a temporary file so a crash leaves no half PNG.</summary>
public static class SkiaPng
{
    public static void Write(string path, SKBitmap bitmap)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(bitmap);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException($"SkiaSharp could not encode a {bitmap.Width} x {bitmap.Height} PNG for '{path}'");
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        var temporary = path + ".tmp";
        using (var file = File.Create(temporary))
        {
            data.SaveTo(file);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>A bitmap's pixels as interleaved RGB bytes, row by row (for tests and callers that want bytes).</summary>
    public static byte[] Rgb(SKBitmap bitmap)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        using var rgba = new SKBitmap(new SKImageInfo(bitmap.Width, bitmap.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        if (!bitmap.CopyTo(rgba, SKColorType.Rgba8888))
        {
            throw new InvalidOperationException("could not read the bitmap's pixels as RGBA");
        }

        var source = rgba.Bytes;
        var pixels = bitmap.Width * bitmap.Height;
        var rgb = new byte[pixels * 3];
        for (var i = 0; i < pixels; i++)
        {
            rgb[3 * i] = source[4 * i];
            rgb[(3 * i) + 1] = source[(4 * i) + 1];
            rgb[(3 * i) + 2] = source[(4 * i) + 2];
        }

        return rgb;
    }
}
