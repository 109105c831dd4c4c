namespace AutoNet.Cli.Inspection;

/// <summary>A cell-space trial's two cells in their one-line text form (op(input) pairs per block).</summary>
public sealed record TrialCells(string Normal, string Reduction);
