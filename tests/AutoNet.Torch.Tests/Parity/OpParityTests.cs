namespace AutoNet.Torch.Tests.Parity;

/// <summary>Every tensor op matches PyTorch on the same inputs: outputs and input gradients (ops_table_tensor.py).</summary>
[Collection(ParityCollection.Name)]
public sealed class OpParityTests(OpParityFixture fixture) : IClassFixture<OpParityFixture>
{
    public static TheoryData<string> Names => new(OpCases.All.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void Op_matches_pytorch_forward_and_backward(string op) => fixture.AssertMatches(op);
}
