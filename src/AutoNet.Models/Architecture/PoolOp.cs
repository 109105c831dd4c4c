namespace AutoNet.Models.Architecture;

/// <summary>
/// torch.nn.MaxPool2d or AvgPool2d (floor mode); <see cref="CountIncludePad"/> is AvgPool2d's count_include_pad
/// (ignored for max pooling).
/// </summary>
public sealed record PoolOp(string? Name, PoolKind Kind, Size2 Kernel, Size2 Stride, Size2 Padding, bool CountIncludePad = true) : ArchLeaf(Name);
