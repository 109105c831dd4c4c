namespace AutoNet.Models.Architecture;

/// <summary>
/// torch.nn.BatchNorm2d with running statistics: state <c>weight</c>, <c>bias</c> (when <see cref="Affine"/>),
/// <c>running_mean</c>, <c>running_var</c>, <c>num_batches_tracked</c>.
/// </summary>
public sealed record BatchNorm2dOp(string? Name, long Features, bool Affine = true, double Eps = 1e-5, double Momentum = 0.1) : ArchLeaf(Name)
{
    public override bool HasState => true;
}
