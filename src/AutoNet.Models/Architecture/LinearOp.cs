namespace AutoNet.Models.Architecture;

/// <summary>torch.nn.Linear on [N, In]: state <c>weight</c> [Out, In] and <c>bias</c> [Out] when <see cref="Bias"/>.</summary>
public sealed record LinearOp(string? Name, long In, long Out, bool Bias = true) : ArchLeaf(Name)
{
    public override bool HasState => true;
}
