namespace AutoNet.Models.Architecture;

/// <summary>Merges all of its inputs (a <see cref="GraphStep"/> with several inputs): sum, product or channel concatenation.</summary>
public sealed record MergeOp(string? Name, MergeKind Merge) : ArchLeaf(Name)
{
    public override int Arity => -1;
}
