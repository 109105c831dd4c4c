namespace AutoNet.Torch.Tests.Parity;

/// <summary>Runs <see cref="OpCases"/> once in C# and once in PyTorch for <see cref="OpParityTests"/>.</summary>
public sealed class OpParityFixture() : ParityFixture(OpCases.All);
