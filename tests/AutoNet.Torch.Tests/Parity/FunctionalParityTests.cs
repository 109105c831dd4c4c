namespace AutoNet.Torch.Tests.Parity;

/// <summary>Every functional layer matches PyTorch on the same inputs: outputs and input gradients (ops_table_nn.py).</summary>
[Collection(ParityCollection.Name)]
public sealed class FunctionalParityTests(FunctionalParityFixture fixture) : IClassFixture<FunctionalParityFixture>
{
    public static TheoryData<string> Names => new(FunctionalCases.All.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void Functional_matches_pytorch_forward_and_backward(string op) => fixture.AssertMatches(op);
}
