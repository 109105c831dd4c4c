namespace AutoNet.Cli.Inspection;

/// <summary>Where `autonet show` wrote a cell diagram: the DOT file, and the SVG when Graphviz could render it (else why not).</summary>
public sealed record DiagramFiles(string Dot, string? Svg, string? SvgSkipped);
