using AutoNet.Data.Drawing;
using AutoNet.Training.Evaluation;

namespace AutoNet.Cli.Reports;

/// <summary>
/// A picture of an evaluation, for looking rather than reading (the numbers are in the command's output): on the
/// left the confusion matrix with each row normalised to the true class (white to dark blue, the diagonal in green),
/// on the right one precision-recall curve per class in the tab10 colours, recall across and precision up, with
/// grid lines at quarters. Written as an RGB PNG by the data layer's encoder.
/// </summary>
public static class EvaluationChart
{
    private const int Panel = 480;
    private const int Margin = 24;

    private static readonly (byte R, byte G, byte B)[] Palette =
    [
        (31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
        (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207),
    ];

    /// <summary>Draws the chart and writes it to <paramref name="path"/> (PNG).</summary>
    /// <param name="confusion">counts, [true class][predicted class]</param>
    /// <param name="curves">per class, its precision-recall curve; null for a class with no positive</param>
    public static void Write(string path, int[][] confusion, IReadOnlyList<IReadOnlyList<PrecisionRecallPoint>?> curves)
    {
        ArgumentNullException.ThrowIfNull(path);
        var canvas = Render(confusion, curves, out var width, out var height);
        PngWriter.Write(path, canvas, width, height, 3);
    }

    /// <summary>The chart as RGB bytes, row by row.</summary>
    public static byte[] Render(int[][] confusion, IReadOnlyList<IReadOnlyList<PrecisionRecallPoint>?> curves, out int width, out int height)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        ArgumentNullException.ThrowIfNull(curves);
        var classes = confusion.Length;
        if (classes == 0 || confusion.Any(row => row is null || row.Length != classes))
        {
            throw new ArgumentException($"the confusion matrix must be square with one row per class; got {classes} rows of lengths {string.Join(", ", confusion.Select(r => r?.Length ?? 0))}", nameof(confusion));
        }

        width = (2 * Panel) + (3 * Margin);
        height = Panel + (2 * Margin);
        var canvas = new Canvas(width, height);
        canvas.Fill(0, 0, width, height, (255, 255, 255));
        DrawConfusion(canvas, confusion, Margin, Margin);
        DrawCurves(canvas, curves, (2 * Margin) + Panel, Margin);
        return canvas.Pixels;
    }

    private static void DrawConfusion(Canvas canvas, int[][] confusion, int left, int top)
    {
        var classes = confusion.Length;
        var cell = Panel / classes;
        for (var truth = 0; truth < classes; truth++)
        {
            double total = confusion[truth].Sum();
            for (var predicted = 0; predicted < classes; predicted++)
            {
                var share = total > 0 ? confusion[truth][predicted] / total : 0;
                var shade = (byte)Math.Round(255 * (1 - share));
                var colour = truth == predicted
                    ? ((byte)shade, (byte)Math.Round(255 - (share * 110)), (byte)shade)
                    : ((byte)shade, (byte)Math.Round(255 - (share * 200)), (byte)255);
                canvas.Fill(left + (predicted * cell), top + (truth * cell), cell - 1, cell - 1, colour);
            }
        }

        canvas.Frame(left - 1, top - 1, (cell * classes) + 1, (cell * classes) + 1, (0, 0, 0));
    }

    private static void DrawCurves(Canvas canvas, IReadOnlyList<IReadOnlyList<PrecisionRecallPoint>?> curves, int left, int top)
    {
        for (var quarter = 1; quarter < 4; quarter++)
        {
            var offset = quarter * Panel / 4;
            canvas.Line(left + offset, top, left + offset, top + Panel, (220, 220, 220));
            canvas.Line(left, top + offset, left + Panel, top + offset, (220, 220, 220));
        }

        canvas.Frame(left, top, Panel, Panel, (0, 0, 0));
        for (var c = 0; c < curves.Count; c++)
        {
            if (curves[c] is not { Count: > 0 } curve)
            {
                continue;
            }

            var colour = Palette[c % Palette.Length];
            int X(double recall) => left + (int)Math.Round(recall * (Panel - 1));
            int Y(double precision) => top + (int)Math.Round((1 - precision) * (Panel - 1));

            // Step-wise, as average precision integrates it: each point's precision holds from the previous recall to its own.
            var (x, y) = (X(0), Y(curve[0].Precision));
            foreach (var point in curve)
            {
                var (nextX, nextY) = (X(point.Recall), Y(point.Precision));
                canvas.Line(x, y, x, nextY, colour);
                canvas.Line(x, nextY, nextX, nextY, colour);
                (x, y) = (nextX, nextY);
            }
        }
    }

    private sealed class Canvas(int width, int height)
    {
        public byte[] Pixels { get; } = new byte[width * height * 3];

        public void Fill(int x, int y, int w, int h, (byte R, byte G, byte B) colour)
        {
            for (var row = Math.Max(0, y); row < Math.Min(height, y + h); row++)
            {
                for (var column = Math.Max(0, x); column < Math.Min(width, x + w); column++)
                {
                    Set(column, row, colour);
                }
            }
        }

        public void Frame(int x, int y, int w, int h, (byte R, byte G, byte B) colour)
        {
            Line(x, y, x + w, y, colour);
            Line(x, y + h, x + w, y + h, colour);
            Line(x, y, x, y + h, colour);
            Line(x + w, y, x + w, y + h, colour);
        }

        // Bresenham, so lines of any slope are unbroken.
        public void Line(int x0, int y0, int x1, int y1, (byte R, byte G, byte B) colour)
        {
            int dx = Math.Abs(x1 - x0), dy = -Math.Abs(y1 - y0);
            int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
            var error = dx + dy;
            while (true)
            {
                Set(x0, y0, colour);
                if (x0 == x1 && y0 == y1)
                {
                    return;
                }

                var doubled = 2 * error;
                if (doubled >= dy)
                {
                    error += dy;
                    x0 += sx;
                }

                if (doubled <= dx)
                {
                    error += dx;
                    y0 += sy;
                }
            }
        }

        private void Set(int x, int y, (byte R, byte G, byte B) colour)
        {
            if (x < 0 || y < 0 || x >= width || y >= height)
            {
                return;
            }

            var at = ((y * width) + x) * 3;
            Pixels[at] = colour.R;
            Pixels[at + 1] = colour.G;
            Pixels[at + 2] = colour.B;
        }
    }
}
