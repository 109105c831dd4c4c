namespace AutoNet.Models.Architecture;

/// <summary>torch.flatten(x, 1): [N, …] to [N, product of the rest].</summary>
public sealed record FlattenOp(string? Name) : ArchLeaf(Name);
