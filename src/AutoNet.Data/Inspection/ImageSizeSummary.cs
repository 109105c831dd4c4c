namespace AutoNet.Data.Inspection;

/// <summary>The spread of image sizes in a data set: extremes, medians, distinct sizes and the most common ones.</summary>
public sealed record ImageSizeSummary(
    int MinWidth,
    int MaxWidth,
    int MinHeight,
    int MaxHeight,
    int MedianWidth,
    int MedianHeight,
    int DistinctSizes,
    IReadOnlyList<ImageSizeCount> MostCommon)
{
    public static ImageSizeSummary Of(IReadOnlyCollection<(int Width, int Height)> sizes, int top = 5)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        if (sizes.Count == 0)
        {
            return new ImageSizeSummary(0, 0, 0, 0, 0, 0, 0, []);
        }

        var widths = sizes.Select(s => s.Width).Order().ToList();
        var heights = sizes.Select(s => s.Height).Order().ToList();
        var groups = sizes.GroupBy(s => s).Select(g => new ImageSizeCount(g.Key.Width, g.Key.Height, g.Count()))
            .OrderByDescending(g => g.Count).ThenBy(g => g.Width).ThenBy(g => g.Height).ToList();
        return new ImageSizeSummary(widths[0], widths[^1], heights[0], heights[^1], widths[widths.Count / 2], heights[heights.Count / 2],
            groups.Count, groups.Take(top).ToList());
    }
}

