namespace AutoNet.Models.Architecture;

/// <summary>
/// A directed acyclic graph over states: states 0 … <see cref="InputCount"/> − 1 are the node's inputs, and each
/// step appends one state computed from earlier ones. The result is the states in <see cref="Outputs"/>,
/// concatenated along channels when there are several. Cells (two inputs, blocks summing two edges, the unused
/// block outputs concatenated) and cell networks (each cell reading the two before it) are graphs.
/// </summary>
public sealed record GraphNode(string? Name, int InputCount, IReadOnlyList<GraphStep> Steps, IReadOnlyList<int> Outputs) : ArchNode(Name)
{
    public override IEnumerable<ArchNode> Children => Steps.Select(s => s.Node);

    public override int Arity => InputCount;
}
