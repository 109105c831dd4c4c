namespace AutoNet.Models.Backbones;

/// <summary>torchvision's <c>_make_divisible</c>: channel counts rounded to a multiple of the divisor, never down by more than 10%.</summary>
internal static class Channels
{
    public static long MakeDivisible(double value, long divisor = 8, long? minValue = null)
    {
        var min = minValue ?? divisor;
        var rounded = Math.Max(min, (long)(value + divisor / 2.0) / divisor * divisor);
        return rounded < 0.9 * value ? rounded + divisor : rounded;
    }
}
