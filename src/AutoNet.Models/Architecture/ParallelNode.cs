namespace AutoNet.Models.Architecture;

/// <summary>
/// Applies every branch to the same input and merges the results (<see cref="MergeKind"/>): a residual connection
/// is <c>add</c> over [body, identity or shortcut]; squeeze-and-excitation is <c>mul</c> over [gate, identity].
/// </summary>
public sealed record ParallelNode(string? Name, MergeKind Merge, IReadOnlyList<ArchNode> Branches) : ArchNode(Name)
{
    public override IEnumerable<ArchNode> Children => Branches;
}
