namespace AutoNet.Torch.Tests.Parity;

/// <summary>Every loss matches PyTorch on the same inputs: outputs and input gradients (ops_table_nn.py).</summary>
[Collection(ParityCollection.Name)]
public sealed class LossParityTests(LossParityFixture fixture) : IClassFixture<LossParityFixture>
{
    public static TheoryData<string> Names => new(LossCases.All.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void Loss_matches_pytorch_forward_and_backward(string op) => fixture.AssertMatches(op);
}
