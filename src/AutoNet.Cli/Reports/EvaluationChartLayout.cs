using SkiaSharp;

namespace AutoNet.Cli.Reports;

/// <summary>
/// Where an evaluation chart put its panels: the confusion matrix (cell (true t, predicted p) at
/// <see cref="Matrix"/>.Left + p·<see cref="Cell"/>, .Top + t·<see cref="Cell"/>) and the precision-recall plot
/// (recall 0→1 left to right, precision 1→0 top to bottom).
/// </summary>
public sealed record EvaluationChartLayout(int Width, int Height, SKRectI Matrix, int Cell, SKRectI Curves);
