namespace AutoNet.Models.Architecture;

/// <summary>An element-wise activation (torch.nn.ReLU, ReLU6, SiLU, Sigmoid).</summary>
public sealed record ActivationOp(string? Name, Activation Function) : ArchLeaf(Name);
