using AutoNet.Cli.Reports;
using AutoNet.Data.Drawing;
using AutoNet.Training.Evaluation;
using SkiaSharp;

namespace AutoNet.Cli.Tests;

public sealed class EvaluationChartTests
{
    [Fact]
    public void The_confusion_diagonal_is_green_misses_are_white_and_each_class_curve_is_drawn_in_its_colour()
    {
        int[][] confusion = [[5, 0], [0, 5]];
        // Precision 1, 1/2, 2/3, 1/2 at recall 1/2, 1/2, 1, 1: the stretch from recall 1/2 to 1 sits at precision 2/3.
        var curve = RankingMetrics.PrecisionRecallCurve([0.9, 0.8, 0.7, 0.6], [true, false, true, false]);

        using var bitmap = EvaluationChart.Draw(confusion, [curve, null], ["cat", "dog"], out var layout);

        Assert.Equal((layout.Width, layout.Height), (bitmap.Width, bitmap.Height));
        var m = layout.Matrix;
        // Probed off-centre, away from the count drawn in the middle of each cell.
        Assert.Equal(new SKColor(0, 145, 0), bitmap.GetPixel(m.Left + 4, m.Top + 4));
        Assert.Equal(SKColors.White, bitmap.GetPixel(m.Left + layout.Cell + 4, m.Top + 4));
        var c = layout.Curves;
        var x = c.Left + (int)Math.Round(0.7 * c.Width);
        Assert.True(Near(CategoryColours.For(0), bitmap.GetPixel(x, c.Top + (int)Math.Round(c.Height / 3.0))), "class 0's curve at precision 2/3 is tab10 blue");
        Assert.Equal(SKColors.White, bitmap.GetPixel(x, c.Top + (int)Math.Round(0.6 * c.Height)));
    }

    [Fact]
    public void Class_names_counts_and_axis_labels_are_drawn_outside_the_panels()
    {
        int[][] confusion = [[50, 3], [7, 40]];
        using var named = EvaluationChart.Draw(confusion, [null, null], ["cat", "dog"], out var layout);
        // Dark (text) pixels left of the matrix (row names with counts) and below it (column names).
        Assert.True(DarkPixels(named, 0, layout.Matrix.Top, layout.Matrix.Left - 2, layout.Matrix.Bottom) > 30);
        Assert.True(DarkPixels(named, layout.Matrix.Left - 20, layout.Matrix.Bottom + 3, layout.Matrix.Right, layout.Matrix.Bottom + 40) > 30);
        // The count 50 is written in its dark cell in white: light pixels inside the cell's middle.
        var cell = layout.Cell;
        var lightInDarkCell = 0;
        for (var y = layout.Matrix.Top + (cell / 3); y < layout.Matrix.Top + (2 * cell / 3); y++)
        {
            for (var x = layout.Matrix.Left + (cell / 3); x < layout.Matrix.Left + (2 * cell / 3); x++)
            {
                lightInDarkCell += named.GetPixel(x, y).Red > 200 ? 1 : 0;
            }
        }

        Assert.True(lightInDarkCell > 5, $"{lightInDarkCell} light pixels where the count 50 should be");
    }

    [Fact]
    public void Beyond_ten_classes_every_class_gets_a_colour_of_its_own()
    {
        var colours = Enumerable.Range(0, 40).Select(CategoryColours.For).ToList();
        for (var a = 0; a < colours.Count; a++)
        {
            for (var b = a + 1; b < colours.Count; b++)
            {
                var distance = Math.Abs(colours[a].Red - colours[b].Red) + Math.Abs(colours[a].Green - colours[b].Green) + Math.Abs(colours[a].Blue - colours[b].Blue);
                Assert.True(distance > 20, $"classes {a} and {b} share nearly one colour: {colours[a]} and {colours[b]}");
            }
        }
    }

    [Fact]
    public void A_confusion_matrix_that_is_not_square_is_refused()
    {
        Assert.Throws<ArgumentException>(() => EvaluationChart.Render([[1, 2], [3]], [], out _, out _));
        Assert.Throws<ArgumentException>(() => EvaluationChart.Draw([[1, 2], [3, 4]], [], ["only one"], out _));
    }

    [Fact]
    public void The_chart_is_written_as_a_png_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"autonet-chart-{Guid.NewGuid():N}.png");
        try
        {
            EvaluationChart.Write(path, [[3, 1], [2, 4]], [null, null], ["a", "b"]);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(path)[..4]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static bool Near(SKColor expected, SKColor actual) =>
        Math.Abs(expected.Red - actual.Red) + Math.Abs(expected.Green - actual.Green) + Math.Abs(expected.Blue - actual.Blue) <= 30;

    private static int DarkPixels(SKBitmap bitmap, int left, int top, int right, int bottom)
    {
        var dark = 0;
        for (var y = Math.Max(0, top); y < Math.Min(bitmap.Height, bottom); y++)
        {
            for (var x = Math.Max(0, left); x < Math.Min(bitmap.Width, right); x++)
            {
                dark += bitmap.GetPixel(x, y).Red < 100 ? 1 : 0;
            }
        }

        return dark;
    }
}
