using AutoNet.Data.Decoding;
using AutoNet.Data.Sources;
using SkiaSharp;

namespace AutoNet.Data.Drawing;

/// <summary>
/// A PNG for looking at a data set: one row per class (in label order) headed by the class name and its number of
/// images, then up to <c>perClass</c> images (the first by key that decode), each fitted into a square tile with
/// its aspect ratio kept (the decoded cache's <see cref="ImageFit.Pad"/>, so a tile shows what training sees), on
/// a grey grid. Drawn with SkiaSharp.
/// </summary>
public static class ContactSheet
{
    private const int Gap = 2;
    private const byte Background = 96;
    private const int MaxNameLength = 28;

    /// <summary>Writes the sheet as an RGB PNG and returns its layout; the path must lie outside the data folder.</summary>
    public static ContactSheetLayout Write(string path, DataSetListing listing, int perClass = 8, int tile = 64)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(listing);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perClass);
        ArgumentOutOfRangeException.ThrowIfLessThan(tile, 8);
        WorkspaceGuard.EnsureOutside(path, listing.Source);

        var counts = new int[listing.ClassNames.Count];
        foreach (var sample in listing.Samples)
        {
            counts[sample.Label]++;
        }

        using var font = ChartFonts.Font(Math.Clamp(tile * 0.22f, 10f, 14f));
        var labels = listing.ClassNames.Select((name, label) => $"{Shorten(name)} ({counts[label]:N0})").ToArray();
        var labelWidth = (int)Math.Ceiling(labels.Max(l => font.MeasureText(l))) + (4 * Gap) + 4;
        var pitch = tile + Gap;
        var layout = new ContactSheetLayout(labelWidth + Gap + (perClass * pitch), Gap + (listing.ClassNames.Count * pitch),
            labelWidth + Gap, Gap, tile, pitch);

        using var bitmap = new SKBitmap(new SKImageInfo(layout.Width, layout.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(new SKColor(Background, Background, Background));
        using var text = new SKPaint { Color = SKColors.White, IsAntialias = true };
        for (var label = 0; label < labels.Length; label++)
        {
            // Baseline a third of the font's height below the row's middle: the text sits centred on it.
            var y = layout.TileTop + (label * pitch) + (tile / 2f) + (font.Size / 3f);
            canvas.DrawText(labels[label], 2 * Gap, y, SKTextAlign.Left, font, text);
        }

        DrawTiles(canvas, listing, perClass, layout);
        canvas.Flush();
        SkiaPng.Write(path, bitmap);
        return layout;
    }

    private static void DrawTiles(SKCanvas canvas, DataSetListing listing, int perClass, ContactSheetLayout layout)
    {
        var tile = layout.Tile;
        var transform = new ImageTransform(tile, tile, 3, ImageFit.Pad);
        var chw = new byte[transform.OutputLength];
        using var tileBitmap = new SKBitmap(new SKImageInfo(tile, tile, SKColorType.Rgba8888, SKAlphaType.Opaque));
        // A few spare candidates per class stand in for files that do not decode.
        var byClass = listing.Samples.GroupBy(s => s.Label)
            .ToDictionary(g => g.Key, g => g.OrderBy(s => s.Key, StringComparer.Ordinal).Take(perClass + 8).ToList());
        var reader = new SampleReader(byClass.Values.SelectMany(s => s));
        foreach (var (label, samples) in byClass)
        {
            var column = 0;
            foreach (var sample in samples)
            {
                if (column == perClass)
                {
                    break;
                }

                try
                {
                    reader.Transform(sample, transform, chw);
                }
                catch (ImageDecodeException)
                {
                    continue;
                }

                CopyPlanes(chw, tile, tileBitmap);
                canvas.DrawBitmap(tileBitmap, layout.TileLeft + (column * layout.Pitch), layout.TileTop + (label * layout.Pitch), new SKSamplingOptions(SKFilterMode.Nearest), null);
                column++;
            }
        }
    }

    /// <summary>[3, tile, tile] planes into the tile bitmap's RGBA pixels, unchanged (drawn 1:1, no resampling).</summary>
    private static void CopyPlanes(ReadOnlySpan<byte> chw, int tile, SKBitmap target)
    {
        var plane = tile * tile;
        var rgba = new byte[plane * 4];
        for (var i = 0; i < plane; i++)
        {
            rgba[4 * i] = chw[i];
            rgba[(4 * i) + 1] = chw[plane + i];
            rgba[(4 * i) + 2] = chw[(2 * plane) + i];
            rgba[(4 * i) + 3] = 255;
        }

        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, target.GetPixels(), rgba.Length);
    }

    private static string Shorten(string name) => name.Length <= MaxNameLength ? name : string.Concat(name.AsSpan(0, MaxNameLength - 1), "…");
}
