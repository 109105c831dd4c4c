namespace AutoNet.Models.Architecture;

/// <summary>DARTS' Zero ("none"): <c>x[:, :, ::Stride, ::Stride] * 0</c>.</summary>
public sealed record ZeroOp(string? Name, long Stride) : ArchLeaf(Name);
