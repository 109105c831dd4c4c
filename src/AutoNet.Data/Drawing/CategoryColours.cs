using SkiaSharp;

namespace AutoNet.Data.Drawing;

/// <summary>
/// A colour per class: matplotlib's tab10 for the first ten (what readers know from plots), then ten strong colours
/// picked away from tab10's hues and from each other (dark enough to read as a line on white), then hues stepped
/// by the golden angle at alternating lightness, so neighbours stay apart however many classes there are.
/// </summary>
public static class CategoryColours
{
    private static readonly SKColor[] Picked =
    [
        new(31, 119, 180), new(255, 127, 14), new(44, 160, 44), new(214, 39, 40), new(148, 103, 189),
        new(140, 86, 75), new(227, 119, 194), new(127, 127, 127), new(188, 189, 34), new(23, 190, 207),
        new(0, 0, 128), new(0, 128, 128), new(20, 20, 20), new(200, 0, 200), new(110, 0, 0),
        new(235, 185, 0), new(100, 215, 60), new(85, 107, 47), new(255, 90, 150), new(90, 150, 255),
    ];

    private static readonly List<SKColor> Colours = [.. Picked];

    public static SKColor For(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        lock (Colours)
        {
            while (Colours.Count <= index)
            {
                Colours.Add(Next());
            }

            return Colours[index];
        }
    }

    /// <summary>
    /// The next hue by the golden angle at one of three lightnesses, skipping candidates within a distance of a colour
    /// already given; the distance asked for shrinks when the space fills up, so there is always a next colour.
    /// </summary>
    private static SKColor Next()
    {
        var required = 90;
        for (var attempt = 0; ; attempt++)
        {
            var k = Colours.Count + attempt;
            var hue = (float)((15 + (k * 137.508)) % 360);
            var lightness = (k % 3) switch { 0 => 38f, 1 => 52f, _ => 30f };
            var candidate = SKColor.FromHsl(hue, 75, lightness);
            if (Colours.TrueForAll(c => Distance(c, candidate) >= required))
            {
                return candidate;
            }

            if (attempt % 40 == 39)
            {
                required = required * 4 / 5;
            }
        }
    }

    private static int Distance(SKColor a, SKColor b) => Math.Abs(a.Red - b.Red) + Math.Abs(a.Green - b.Green) + Math.Abs(a.Blue - b.Blue);
}
