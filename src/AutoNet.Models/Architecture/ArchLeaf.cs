namespace AutoNet.Models.Architecture;

/// <summary>A leaf operation: no child nodes.</summary>
public abstract record ArchLeaf(string? Name) : ArchNode(Name)
{
    public override IEnumerable<ArchNode> Children => [];
}
