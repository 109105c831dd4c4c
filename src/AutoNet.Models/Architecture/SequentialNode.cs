namespace AutoNet.Models.Architecture;

/// <summary>Applies <see cref="Steps"/> in order (torch.nn.Sequential when named and its steps are named "0", "1", …).</summary>
public sealed record SequentialNode(string? Name, IReadOnlyList<ArchNode> Steps) : ArchNode(Name)
{
    public override IEnumerable<ArchNode> Children => Steps;
}
