namespace AutoNet.Cli.Inspection;

/// <summary>A learning curve in one line of eighth-block characters, scaled between its own smallest and largest value.</summary>
public static class Sparkline
{
    private const string Bars = "▁▂▃▄▅▆▇█";

    /// <summary>One character per value; a missing value is a space, a flat curve sits mid-height.</summary>
    public static string Of(IEnumerable<double?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var list = values.ToList();
        var known = list.Where(v => v.HasValue).Select(v => v!.Value).ToList();
        if (known.Count == 0)
        {
            return new string(' ', list.Count);
        }

        var (min, max) = (known.Min(), known.Max());
        return new string([.. list.Select(v => v is not { } x ? ' '
            : max == min ? Bars[Bars.Length / 2]
            : Bars[(int)Math.Round((x - min) / (max - min) * (Bars.Length - 1), MidpointRounding.AwayFromZero)])]);
    }
}
