namespace AutoNet.Torch.Tests.Parity;

/// <summary>Runs <see cref="LossCases"/> once in C# and once in PyTorch for <see cref="LossParityTests"/>.</summary>
public sealed class LossParityFixture() : ParityFixture(LossCases.All);
