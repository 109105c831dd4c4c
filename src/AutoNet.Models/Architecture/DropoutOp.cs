namespace AutoNet.Models.Architecture;

/// <summary>torch.nn.Dropout(P): active in training only.</summary>
public sealed record DropoutOp(string? Name, double P) : ArchLeaf(Name);
