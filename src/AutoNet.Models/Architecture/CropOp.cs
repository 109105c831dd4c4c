namespace AutoNet.Models.Architecture;

/// <summary><c>x[:, :, Top:, Left:]</c>: drops leading rows and columns (FactorizedReduce's one-pixel shift).</summary>
public sealed record CropOp(string? Name, long Top, long Left) : ArchLeaf(Name);
