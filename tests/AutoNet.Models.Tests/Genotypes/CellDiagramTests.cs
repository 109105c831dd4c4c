using System.Text.RegularExpressions;
using AutoNet.Models.Genotypes;

namespace AutoNet.Models.Tests.Genotypes;

public sealed class CellDiagramTests
{
    [Fact]
    public void Dot_has_one_labelled_edge_per_block_input_and_one_per_concatenated_block()
    {
        var cell = PublishedGenotypes.NasNetA.Reduction;
        var dot = CellDiagram.ToDot(cell, "reduction");
        Assert.StartsWith("digraph \"reduction\" {", dot, StringComparison.Ordinal);
        var edges = Regex.Matches(dot, "^ +\"(.+?)\" -> \"(.+?)\"", RegexOptions.Multiline);
        Assert.Equal((2 * cell.Blocks.Count) + cell.OutputStates.Count, edges.Count);
        Assert.Equal(2, edges.Count(e => e.Groups[1].Value == "3" && e.Groups[2].Value == "c_{k}") + edges.Count(e => e.Groups[1].Value == "4" && e.Groups[2].Value == "c_{k}"));

        // NASNet-A's reduction block 3 reads block 1 (state 3) through skip_connect: states 2 + k are drawn as block k.
        Assert.Contains("\"1\" -> \"3\" [label=\"skip_connect\"", dot, StringComparison.Ordinal);
        Assert.Contains("\"c_{k-1}\" -> \"0\" [label=\"sep_conv_5x5\"", dot, StringComparison.Ordinal);
    }

    [Fact]
    public void Genotype_dot_has_a_cluster_per_cell_with_distinct_nodes()
    {
        var dot = CellDiagram.ToDot(PublishedGenotypes.DartsV2);
        Assert.Contains("subgraph \"cluster_normal\"", dot, StringComparison.Ordinal);
        Assert.Contains("subgraph \"cluster_reduction\"", dot, StringComparison.Ordinal);
        Assert.Contains("\"normal_c_{k-2}\" -> \"normal_0\" [label=\"sep_conv_3x3\"", dot, StringComparison.Ordinal);
        Assert.Contains("\"reduction_c_{k-2}\" -> \"reduction_0\" [label=\"max_pool_3x3\"", dot, StringComparison.Ordinal);
    }

    [GraphvizFact]
    public void Svg_from_dot_shows_every_op_label()
    {
        var genotype = PublishedGenotypes.AmoebaNetA;
        var svg = CellDiagram.ToSvg(genotype);
        Assert.Contains("<svg", svg, StringComparison.Ordinal);
        foreach (var op in genotype.Normal.Blocks.Concat(genotype.Reduction.Blocks).SelectMany(b => new[] { b.First.Op, b.Second.Op }).Distinct())
        {
            var expected = genotype.Normal.Blocks.Concat(genotype.Reduction.Blocks).Sum(b => (b.First.Op == op ? 1 : 0) + (b.Second.Op == op ? 1 : 0));
            Assert.Equal(expected, Regex.Count(svg, ">" + op + "</text>"));
        }
    }

    [Fact]
    public void Svg_without_dot_says_how_to_install_it()
    {
        if (Graphviz.IsAvailable)
        {
            Assert.Throws<InvalidOperationException>(() => Graphviz.RenderSvg("digraph { a -> }"));
        }
        else
        {
            var e = Assert.Throws<InvalidOperationException>(() => CellDiagram.ToSvg(PublishedGenotypes.DartsV2));
            Assert.Contains("apt-get install graphviz", e.Message, StringComparison.Ordinal);
        }
    }
}
