using System.Globalization;
using System.Text;

namespace AutoNet.Models.Genotypes;

/// <summary>
/// Cell diagrams in Graphviz DOT, drawn as DARTS' visualize.py does: inputs c_{k-2} and c_{k-1}, one node per block,
/// one edge per block input labelled with its op ("none" edges dashed), and the concatenated blocks feeding c_{k}.
/// <see cref="ToSvg(Genotype)"/> renders through Graphviz's <c>dot</c> when it is installed (Debian: graphviz).
/// </summary>
public static class CellDiagram
{
    /// <summary>One cell as a DOT digraph.</summary>
    public static string ToDot(CellGenotype cell, string name = "cell")
    {
        ArgumentNullException.ThrowIfNull(cell);
        var dot = new StringBuilder();
        dot.Append("digraph ").Append(Quote(name)).AppendLine(" {");
        AppendStyle(dot, "  ");
        AppendCell(dot, cell, string.Empty, "  ");
        dot.AppendLine("}");
        return dot.ToString();
    }

    /// <summary>Both cells of a genotype as one DOT digraph with a cluster per cell.</summary>
    public static string ToDot(Genotype genotype)
    {
        ArgumentNullException.ThrowIfNull(genotype);
        var dot = new StringBuilder();
        dot.AppendLine("digraph genotype {");
        AppendStyle(dot, "  ");
        foreach (var (label, cell) in new[] { ("normal", genotype.Normal), ("reduction", genotype.Reduction) })
        {
            dot.Append("  subgraph ").Append(Quote("cluster_" + label)).AppendLine(" {");
            dot.Append("    label=").Append(Quote($"{label} cell")).AppendLine(";");
            AppendCell(dot, cell, label + "_", "    ");
            dot.AppendLine("  }");
        }

        dot.AppendLine("}");
        return dot.ToString();
    }

    /// <summary>SVG of both cells; throws <see cref="InvalidOperationException"/> when <c>dot</c> is not installed.</summary>
    public static string ToSvg(Genotype genotype) => Graphviz.RenderSvg(ToDot(genotype));

    /// <summary>SVG of one cell; throws <see cref="InvalidOperationException"/> when <c>dot</c> is not installed.</summary>
    public static string ToSvg(CellGenotype cell, string name = "cell") => Graphviz.RenderSvg(ToDot(cell, name));

    private static void AppendStyle(StringBuilder dot, string indent)
    {
        dot.Append(indent).AppendLine("rankdir=LR;");
        dot.Append(indent).AppendLine("node [style=\"filled,rounded\", shape=rect, align=center, fontname=\"helvetica\", fontsize=20, height=0.5, width=0.5, penwidth=2];");
        dot.Append(indent).AppendLine("edge [fontname=\"helvetica\", fontsize=16];");
    }

    private static void AppendCell(StringBuilder dot, CellGenotype cell, string prefix, string indent)
    {
        string Node(int state) => Quote(prefix + (state switch
        {
            0 => "c_{k-2}",
            1 => "c_{k-1}",
            _ => (state - 2).ToString(CultureInfo.InvariantCulture),
        }));

        var output = Quote(prefix + "c_{k}");
        dot.Append(indent).Append(Node(0)).AppendLine(" [label=\"c_{k-2}\", fillcolor=darkseagreen2];");
        dot.Append(indent).Append(Node(1)).AppendLine(" [label=\"c_{k-1}\", fillcolor=darkseagreen2];");
        for (var k = 0; k < cell.Blocks.Count; k++)
        {
            dot.Append(indent).Append(Node(k + 2)).Append(" [label=").Append(Quote(k.ToString(CultureInfo.InvariantCulture))).AppendLine(", fillcolor=lightblue];");
        }

        dot.Append(indent).Append(output).AppendLine(" [label=\"c_{k}\", fillcolor=palegoldenrod];");
        for (var k = 0; k < cell.Blocks.Count; k++)
        {
            foreach (var input in new[] { cell.Blocks[k].First, cell.Blocks[k].Second })
            {
                dot.Append(indent).Append(Node(input.Input)).Append(" -> ").Append(Node(k + 2))
                    .Append(" [label=").Append(Quote(input.Op)).Append(", fillcolor=gray")
                    .Append(input.Op == OpNames.None ? ", style=dashed, color=gray" : string.Empty).AppendLine("];");
            }
        }

        foreach (var state in cell.OutputStates)
        {
            dot.Append(indent).Append(Node(state)).Append(" -> ").Append(output).AppendLine(" [fillcolor=gray];");
        }
    }

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
