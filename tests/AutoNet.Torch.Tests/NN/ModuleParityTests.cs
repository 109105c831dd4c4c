using AutoNet.Torch.Tests.Reference;

namespace AutoNet.Torch.Tests;

/// <summary>Each module's forward output, input gradient, parameter gradients and state afterwards equal PyTorch's.</summary>
public sealed class ModuleParityTests(ModuleParityFixture fixture) : IClassFixture<ModuleParityFixture>
{
    public static TheoryData<string> CaseNames => new(ModuleParityCases.All.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Forward_and_gradients_match_pytorch_with_the_same_weights(string name)
    {
        var ours = fixture.CSharp[name];
        var theirs = fixture.PyTorch[name];
        TensorAssert.Close(theirs.Output, ours.Output, what: $"{name}: output");
        Assert.Equal(theirs.GradInput is null, ours.GradInput is null);
        if (theirs.GradInput is not null)
        {
            TensorAssert.Close(theirs.GradInput, ours.GradInput!, what: $"{name}: input gradient");
        }

        Assert.Equal(theirs.Grads.Keys.Order(), ours.Grads.Keys.Order());
        foreach (var (key, grad) in theirs.Grads)
        {
            TensorAssert.Close(grad, ours.Grads[key], what: $"{name}: gradient of {key}");
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void State_after_forward_matches_pytorch_including_running_statistics(string name)
    {
        var ours = fixture.CSharp[name];
        var theirs = fixture.PyTorch[name];
        Assert.Equal(theirs.State.Keys, ours.State.Keys);
        foreach (var (key, value) in theirs.State)
        {
            Assert.Equal(value.DType, ours.State[key].DType);
            TensorAssert.Close(value, ours.State[key], what: $"{name}: {key}");
        }
    }
}
