using System.Globalization;
using AutoNet.Data.Drawing;
using AutoNet.Training.Evaluation;
using SkiaSharp;

namespace AutoNet.Cli.Reports;

/// <summary>
/// A picture of an evaluation, for looking rather than reading (the numbers are in the command's output): on the
/// left the confusion matrix, each row normalised to its true class (white to dark blue, the diagonal in green),
/// with the class names on both axes, each true class's image count, and the count in each cell where it fits; on
/// the right one precision-recall curve per class (tab10 colours, then distinct hues beyond ten classes) with
/// labelled axes and a legend giving each class's average precision. Drawn with SkiaSharp, written as a PNG.
/// </summary>
public static class EvaluationChart
{
    private const int Margin = 24;
    private const int Plot = 420;
    private const int MaxNameLength = 24;

    private static readonly SKColor Ink = new(34, 34, 34);
    private static readonly SKColor Faint = new(225, 225, 225);

    /// <summary>Draws the chart and writes it to <paramref name="path"/> (PNG).</summary>
    /// <param name="confusion">counts, [true class][predicted class]</param>
    /// <param name="curves">per class, its precision-recall curve; null for a class with no positive</param>
    /// <param name="classNames">per class, its name (null: "class 0", "class 1", …)</param>
    public static void Write(string path, int[][] confusion, IReadOnlyList<IReadOnlyList<PrecisionRecallPoint>?> curves,
        IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var bitmap = Draw(confusion, curves, classNames, out _);
        SkiaPng.Write(path, bitmap);
    }

    /// <summary>The chart as a bitmap, with where its panels lie.</summary>
    public static SKBitmap Draw(int[][] confusion, IReadOnlyList<IReadOnlyList<PrecisionRecallPoint>?> curves,
        IReadOnlyList<string>? classNames, out EvaluationChartLayout layout)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        ArgumentNullException.ThrowIfNull(curves);
        var classes = confusion.Length;
        if (classes == 0 || confusion.Any(row => row is null || row.Length != classes))
        {
            throw new ArgumentException($"the confusion matrix must be square with one row per class; got {classes} rows of lengths {string.Join(", ", confusion.Select(r => r?.Length ?? 0))}", nameof(confusion));
        }

        if (classNames is not null && classNames.Count != classes)
        {
            throw new ArgumentException($"{classNames.Count} class names for a {classes}-class confusion matrix", nameof(classNames));
        }

        var names = Enumerable.Range(0, classes).Select(c => Shorten(classNames?[c] ?? $"class {c}")).ToArray();
        var cell = Math.Clamp(Plot / classes, 4, 56);
        var labelSize = Math.Clamp(cell * 0.5f, 8f, 13f);
        using var title = ChartFonts.Font(15, bold: true);
        using var label = ChartFonts.Font(labelSize);
        using var tick = ChartFonts.Font(12);
        var showNames = cell >= 7;
        var rowLabels = names.Select((n, c) => $"{n} ({confusion[c].Sum().ToString("N0", CultureInfo.InvariantCulture)})").ToArray();
        var rowLabelWidth = showNames ? (int)Math.Ceiling(rowLabels.Max(l => label.MeasureText(l))) : 0;
        var columnLabelWidth = showNames ? (int)Math.Ceiling(names.Max(l => label.MeasureText(l))) : 0;

        // Confusion panel: title, matrix, column names turned 45° below it, axis titles.
        var matrixSide = cell * classes;
        var matrixLeft = Margin + 20 + rowLabelWidth + 8;
        var matrixTop = Margin + 28;
        var columnLabelDepth = (int)Math.Ceiling((columnLabelWidth * 0.7072f) + labelSize) + 6;
        var matrixBottom = matrixTop + matrixSide + columnLabelDepth + 24;

        // Curves panel to the right, legend to its right in as many columns as the classes need.
        var curvesLeft = matrixLeft + matrixSide + Margin + 56;
        var curvesTop = matrixTop;
        var legendFont = ChartFonts.Font(12);
        var legendLine = 17;
        var legendRows = Math.Max(1, (Plot - 10) / legendLine);
        var legendColumns = (classes + legendRows - 1) / legendRows;
        var legendTexts = Enumerable.Range(0, classes).Select(c => LegendText(names[c], curves.Count > c ? curves[c] : null)).ToArray();
        var legendColumnWidth = (int)Math.Ceiling(legendTexts.Max(t => legendFont.MeasureText(t))) + 30;
        var legendLeft = curvesLeft + Plot + 20;
        var width = legendLeft + (legendColumns * legendColumnWidth) + Margin;
        var curvesBottom = curvesTop + Plot + 48;
        var height = Math.Max(matrixBottom, curvesBottom) + Margin;

        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        using (legendFont)
        {
            canvas.Clear(SKColors.White);
            using var ink = new SKPaint { Color = Ink, IsAntialias = true };
            canvas.DrawText("Confusion matrix (rows normalised to the true class)", Margin, Margin + 12, SKTextAlign.Left, title, ink);
            DrawConfusion(canvas, confusion, matrixLeft, matrixTop, cell, label, showNames ? rowLabels : null, showNames ? names : null, columnLabelDepth);
            canvas.DrawText("Precision-recall per class", curvesLeft, Margin + 12, SKTextAlign.Left, title, ink);
            DrawCurves(canvas, curves, curvesLeft, curvesTop, tick);
            DrawLegend(canvas, legendTexts, legendLeft, curvesTop, legendRows, legendColumnWidth, legendLine, legendFont);
            canvas.Flush();
        }

        layout = new EvaluationChartLayout(width, height, new SKRectI(matrixLeft, matrixTop, matrixLeft + matrixSide, matrixTop + matrixSide),
            cell, new SKRectI(curvesLeft, curvesTop, curvesLeft + Plot, curvesTop + Plot));
        return bitmap;
    }

    /// <summary>The chart as RGB bytes, row by row.</summary>
    public static byte[] Render(int[][] confusion, IReadOnlyList<IReadOnlyList<PrecisionRecallPoint>?> curves, out int width, out int height)
    {
        using var bitmap = Draw(confusion, curves, null, out var layout);
        (width, height) = (layout.Width, layout.Height);
        return SkiaPng.Rgb(bitmap);
    }

    private static void DrawConfusion(SKCanvas canvas, int[][] confusion, int left, int top, int cell, SKFont label,
        string[]? rowLabels, string[]? columnLabels, int columnLabelDepth)
    {
        var classes = confusion.Length;
        using var fill = new SKPaint { IsAntialias = false };
        using var ink = new SKPaint { Color = Ink, IsAntialias = true };
        using var light = new SKPaint { Color = SKColors.White, IsAntialias = true };
        using var countFont = ChartFonts.Font(Math.Clamp(cell * 0.32f, 8f, 12f));
        for (var truth = 0; truth < classes; truth++)
        {
            double total = confusion[truth].Sum();
            for (var predicted = 0; predicted < classes; predicted++)
            {
                var count = confusion[truth][predicted];
                var share = total > 0 ? count / total : 0;
                var shade = (byte)Math.Round(255 * (1 - share));
                fill.Color = truth == predicted
                    ? new SKColor(shade, (byte)Math.Round(255 - (share * 110)), shade)
                    : new SKColor(shade, (byte)Math.Round(255 - (share * 200)), 255);
                var x = left + (predicted * cell);
                var y = top + (truth * cell);
                canvas.DrawRect(x, y, cell - 1, cell - 1, fill);
                var text = count.ToString(CultureInfo.InvariantCulture);
                // Counts only where they fit in the cell; white on the dark cells, dark on the light ones.
                if (count > 0 && countFont.MeasureText(text) <= cell - 4 && countFont.Size <= cell - 4)
                {
                    canvas.DrawText(text, x + ((cell - 1) / 2f), y + ((cell - 1) / 2f) + (countFont.Size / 3f), SKTextAlign.Center, countFont, share > 0.5 ? light : ink);
                }
            }
        }

        using var frame = new SKPaint { Color = SKColors.Black, Style = SKPaintStyle.Stroke, StrokeWidth = 1 };
        canvas.DrawRect(left - 0.5f, top - 0.5f, (cell * classes) + 0.5f, (cell * classes) + 0.5f, frame);
        if (rowLabels is not null && columnLabels is not null)
        {
            for (var c = 0; c < classes; c++)
            {
                var middle = (c * cell) + (cell / 2f);
                canvas.DrawText(rowLabels[c], left - 6, top + middle + (label.Size / 3f), SKTextAlign.Right, label, ink);
                // Column names turned 45°, ending under their column so long names run down and to the left.
                canvas.Save();
                canvas.Translate(left + middle + (label.Size / 3f), top + (cell * classes) + 6);
                canvas.RotateDegrees(-45);
                canvas.DrawText(columnLabels[c], 0, 0, SKTextAlign.Right, label, ink);
                canvas.Restore();
            }
        }

        using var axis = ChartFonts.Font(13, bold: true);
        var side = cell * classes;
        canvas.DrawText("predicted class", left + (side / 2f), top + side + columnLabelDepth + 16, SKTextAlign.Center, axis, ink);
        canvas.Save();
        canvas.Translate(Margin + 12, top + (side / 2f));
        canvas.RotateDegrees(-90);
        canvas.DrawText("true class (images)", 0, 0, SKTextAlign.Center, axis, ink);
        canvas.Restore();
    }

    private static void DrawCurves(SKCanvas canvas, IReadOnlyList<IReadOnlyList<PrecisionRecallPoint>?> curves, int left, int top, SKFont tick)
    {
        using var grid = new SKPaint { Color = Faint, StrokeWidth = 1, IsAntialias = false };
        using var ink = new SKPaint { Color = Ink, IsAntialias = true };
        for (var quarter = 0; quarter <= 4; quarter++)
        {
            var offset = quarter * Plot / 4f;
            var value = (quarter / 4.0).ToString("0.##", CultureInfo.InvariantCulture);
            if (quarter is > 0 and < 4)
            {
                canvas.DrawLine(left + offset, top, left + offset, top + Plot, grid);
                canvas.DrawLine(left, top + offset, left + Plot, top + offset, grid);
            }

            canvas.DrawText(value, left + offset, top + Plot + 16, SKTextAlign.Center, tick, ink);
            canvas.DrawText((1 - (quarter / 4.0)).ToString("0.##", CultureInfo.InvariantCulture), left - 6, top + offset + 4, SKTextAlign.Right, tick, ink);
        }

        using var axis = ChartFonts.Font(13, bold: true);
        canvas.DrawText("recall", left + (Plot / 2f), top + Plot + 36, SKTextAlign.Center, axis, ink);
        canvas.Save();
        canvas.Translate(left - 38, top + (Plot / 2f));
        canvas.RotateDegrees(-90);
        canvas.DrawText("precision", 0, 0, SKTextAlign.Center, axis, ink);
        canvas.Restore();

        using var line = new SKPaint { Style = SKPaintStyle.Stroke, StrokeWidth = 2, IsAntialias = true, StrokeJoin = SKStrokeJoin.Miter };
        canvas.Save();
        canvas.ClipRect(new SKRect(left - 1, top - 1, left + Plot + 1, top + Plot + 1));
        for (var c = 0; c < curves.Count; c++)
        {
            if (curves[c] is not { Count: > 0 } curve)
            {
                continue;
            }

            line.Color = CategoryColours.For(c);
            float X(double recall) => left + (float)(recall * Plot);
            float Y(double precision) => top + (float)((1 - precision) * Plot);

            // Step-wise, as average precision integrates it: each point's precision holds from the previous recall to its own.
            using var builder = new SKPathBuilder();
            builder.MoveTo(X(0), Y(curve[0].Precision));
            var x = X(0);
            foreach (var point in curve)
            {
                var (nextX, nextY) = (X(point.Recall), Y(point.Precision));
                builder.LineTo(x, nextY);
                builder.LineTo(nextX, nextY);
                x = nextX;
            }

            using var path = builder.Detach();
            canvas.DrawPath(path, line);
        }

        canvas.Restore();
        using var frame = new SKPaint { Color = SKColors.Black, Style = SKPaintStyle.Stroke, StrokeWidth = 1 };
        canvas.DrawRect(left - 0.5f, top - 0.5f, Plot + 1, Plot + 1, frame);
    }

    private static void DrawLegend(SKCanvas canvas, string[] texts, int left, int top, int rows, int columnWidth, int lineHeight, SKFont font)
    {
        using var swatch = new SKPaint { IsAntialias = false };
        using var ink = new SKPaint { Color = Ink, IsAntialias = true };
        for (var c = 0; c < texts.Length; c++)
        {
            var x = left + (c / rows * columnWidth);
            var y = top + 4 + (c % rows * lineHeight);
            swatch.Color = CategoryColours.For(c);
            canvas.DrawRect(x, y + 3, 20, 6, swatch);
            canvas.DrawText(texts[c], x + 26, y + 11, SKTextAlign.Left, font, ink);
        }
    }

    private static string LegendText(string name, IReadOnlyList<PrecisionRecallPoint>? curve)
    {
        if (curve is not { Count: > 0 })
        {
            return $"{name}  (no positives)";
        }

        // Average precision as the steps above integrate it: Σ (recall_i − recall_{i−1}) · precision_i.
        double ap = 0, previous = 0;
        foreach (var point in curve)
        {
            ap += (point.Recall - previous) * point.Precision;
            previous = point.Recall;
        }

        return $"{name}  AP {ap.ToString("0.000", CultureInfo.InvariantCulture)}";
    }

    private static string Shorten(string name) => name.Length <= MaxNameLength ? name : string.Concat(name.AsSpan(0, MaxNameLength - 1), "…");
}
