using AutoNet.Cli.Inspection;

namespace AutoNet.Cli.Tests;

public sealed class SparklineTests
{
    [Fact]
    public void Values_are_scaled_between_their_own_minimum_and_maximum()
    {
        // (0.5 - 0.1) / 0.8 * 7 = 3.5, rounded away from zero to bar index 4.
        Assert.Equal("▁▅█", Sparkline.Of([0.1, 0.5, 0.9]));
        Assert.Equal("█▁", Sparkline.Of([2.0, 1.0]));
    }

    [Fact]
    public void Missing_values_are_gaps_and_a_flat_curve_sits_mid_height()
    {
        Assert.Equal("▅ ▅", Sparkline.Of([0.3, null, 0.3]));
        Assert.Equal("  ", Sparkline.Of([null, null]));
    }
}
