using AutoNet.Data.Decoding;
using AutoNet.Data.Sources;

namespace AutoNet.Data.Drawing;

/// <summary>
/// A PNG for looking at a data set: one row per class (in label order), up to <c>perClass</c> images each (the
/// first by key that decode), every image fitted into a square tile with its aspect ratio kept, on a grey grid.
/// </summary>
public static class ContactSheet
{
    private const int Gap = 2;
    private const byte Background = 96;

    /// <summary>Writes the sheet as an RGB PNG and returns its size; the path must lie outside the data folder.</summary>
    public static (int Width, int Height) Write(string path, DataSetListing listing, int perClass = 8, int tile = 64)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(listing);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perClass);
        ArgumentOutOfRangeException.ThrowIfLessThan(tile, 8);
        WorkspaceGuard.EnsureOutside(path, listing.Source);

        var width = Gap + (perClass * (tile + Gap));
        var height = Gap + (listing.ClassNames.Count * (tile + Gap));
        var sheet = new byte[width * height * 3];
        sheet.AsSpan().Fill(Background);
        var transform = new ImageTransform(tile, tile, 3, ImageFit.Pad);
        var chw = new byte[transform.OutputLength];
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

                Blit(chw, tile, sheet, width, Gap + (column * (tile + Gap)), Gap + (label * (tile + Gap)));
                column++;
            }
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        PngWriter.Write(path, sheet, width, height, 3);
        return (width, height);
    }

    private static void Blit(ReadOnlySpan<byte> chw, int tile, Span<byte> sheet, int sheetWidth, int x0, int y0)
    {
        var plane = tile * tile;
        for (var y = 0; y < tile; y++)
        {
            for (var x = 0; x < tile; x++)
            {
                var target = (((y0 + y) * sheetWidth) + x0 + x) * 3;
                for (var c = 0; c < 3; c++)
                {
                    sheet[target + c] = chw[(c * plane) + (y * tile) + x];
                }
            }
        }
    }
}
