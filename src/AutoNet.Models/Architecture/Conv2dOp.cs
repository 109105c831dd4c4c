namespace AutoNet.Models.Architecture;

/// <summary>torch.nn.Conv2d: state <c>weight</c> [Out, In / Groups, Kernel.H, Kernel.W] and <c>bias</c> [Out] when <see cref="Bias"/>.</summary>
public sealed record Conv2dOp(string? Name, long In, long Out, Size2 Kernel, Size2 Stride, Size2 Padding, long Dilation = 1, long Groups = 1, bool Bias = false)
    : ArchLeaf(Name)
{
    public override bool HasState => true;
}
