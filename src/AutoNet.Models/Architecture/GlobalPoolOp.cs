namespace AutoNet.Models.Architecture;

/// <summary>Pooling over each channel's whole plane to [N, C, 1, 1] (torch.nn.AdaptiveAvgPool2d(1) / AdaptiveMaxPool2d(1)).</summary>
public sealed record GlobalPoolOp(string? Name, PoolKind Kind) : ArchLeaf(Name);
