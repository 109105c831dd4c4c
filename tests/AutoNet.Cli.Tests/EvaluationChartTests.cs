using AutoNet.Cli.Reports;
using AutoNet.Training.Evaluation;

namespace AutoNet.Cli.Tests;

public sealed class EvaluationChartTests
{
    [Fact]
    public void The_confusion_diagonal_is_green_misses_are_white_and_each_class_curve_is_drawn_in_its_colour()
    {
        int[][] confusion = [[5, 0], [0, 5]];
        // Precision 1, 1/2, 2/3, 1/2 at recall 1/2, 1/2, 1, 1: the stretch from recall 1/2 to 1 sits at precision 2/3.
        var curve = RankingMetrics.PrecisionRecallCurve([0.9, 0.8, 0.7, 0.6], [true, false, true, false]);

        var pixels = EvaluationChart.Render(confusion, [curve, null], out var width, out var height);

        Assert.Equal(width * height * 3, pixels.Length);
        (byte, byte, byte) At(int x, int y) => (pixels[((y * width) + x) * 3], pixels[((y * width) + x) * 3 + 1], pixels[((y * width) + x) * 3 + 2]);
        // Confusion panel: 24 px margin, 240 px cells for two classes.
        Assert.Equal(((byte)0, (byte)145, (byte)0), At(24 + 100, 24 + 100));
        Assert.Equal(((byte)255, (byte)255, (byte)255), At(24 + 240 + 100, 24 + 100));
        // PR panel: 480 px from x = 528, y = 24; class 0 is tab10 blue.
        Assert.Equal(((byte)31, (byte)119, (byte)180), At(528 + (int)Math.Round(0.75 * 479), 24 + (int)Math.Round(479 / 3.0)));
        Assert.Equal(((byte)255, (byte)255, (byte)255), At(528 + (int)Math.Round(0.75 * 479), 24 + (int)Math.Round(0.6 * 479)));
    }

    [Fact]
    public void A_confusion_matrix_that_is_not_square_is_refused()
    {
        Assert.Throws<ArgumentException>(() => EvaluationChart.Render([[1, 2], [3]], [], out _, out _));
    }

    [Fact]
    public void The_chart_is_written_as_a_png_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"autonet-chart-{Guid.NewGuid():N}.png");
        try
        {
            EvaluationChart.Write(path, [[3, 1], [2, 4]], [null, null]);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(path)[..4]);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
