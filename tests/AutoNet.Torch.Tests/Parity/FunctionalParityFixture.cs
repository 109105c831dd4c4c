namespace AutoNet.Torch.Tests.Parity;

/// <summary>Runs <see cref="FunctionalCases"/> once in C# and once in PyTorch for <see cref="FunctionalParityTests"/>.</summary>
public sealed class FunctionalParityFixture() : ParityFixture(FunctionalCases.All);
