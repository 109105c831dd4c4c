using SkiaSharp;

namespace AutoNet.Data.Drawing;

/// <summary>
/// The typeface charts and sheets are labelled in. SkiaSharp's Linux build without dependencies has no fontconfig:
/// its default face is whatever it finds first in /usr/share/fonts (a serif here), so a sans face is asked for by
/// name, common ones first, before that default is taken.
/// </summary>
public static class ChartFonts
{
    private static readonly string[] Families = ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica", "Segoe UI", "Roboto", "Noto Sans"];

    private static readonly Lazy<SKTypeface> Regular = new(() => Find(SKFontStyle.Normal));

    private static readonly Lazy<SKTypeface> Heavy = new(() => Find(SKFontStyle.Bold));

    public static SKTypeface Sans => Regular.Value;

    public static SKTypeface SansBold => Heavy.Value;

    /// <summary>A font of <paramref name="size"/> pixels, anti-aliased with subpixel positioning.</summary>
    public static SKFont Font(float size, bool bold = false) =>
        new(bold ? SansBold : Sans, size) { Edging = SKFontEdging.Antialias, Subpixel = true };

    private static SKTypeface Find(SKFontStyle style)
    {
        foreach (var family in Families)
        {
            var face = SKFontManager.Default.MatchFamily(family, style);
            if (face is not null && face.GlyphCount > 0)
            {
                return face;
            }
        }

        return SKTypeface.Default;
    }
}
