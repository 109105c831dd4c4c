namespace AutoNet.Models.Architecture;

/// <summary>torch.nn.Identity.</summary>
public sealed record IdentityOp(string? Name) : ArchLeaf(Name);
