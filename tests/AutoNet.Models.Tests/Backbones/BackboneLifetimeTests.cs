using AutoNet.Models.Backbones;
using AutoNet.Torch;

namespace AutoNet.Models.Tests.Backbones;

using Torch = AutoNet.Torch.Torch;

/// <summary>Backbones free their intermediates: a forward leaves one live tensor, its result; a training step in a scope leaves none.</summary>
[Collection(LiveTensorCollection.Name)]
public sealed class BackboneLifetimeTests
{
    public static TheoryData<string> Names => new(BackboneFactory.Names);

    [Theory]
    [MemberData(nameof(Names))]
    public void Forward_and_backward_leave_no_tensor_behind(string name)
    {
        // Tensors another test left to the finalizer would otherwise leave the live count while this one counts.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Torch.ManualSeed(10);
        using var model = BackboneFactory.Create(name, new BackboneOptions { NumClasses = 3 });
        model.FreezeStages(1);
        using var input = Torch.Randn([2, 3, 32, 32]);
        var before = Tensor.LiveCount;
        using (var output = model.Forward(input))
        {
            Assert.Equal(before + 1, Tensor.LiveCount);
        }

        Assert.Equal(before, Tensor.LiveCount);
        for (var step = 0; step < 2; step++)
        {
            using var scope = Torch.NewDisposeScope();
            model.Forward(input).Sum().Backward();
            model.ForwardFeatures(input).Sum().Backward();
        }

        Assert.Equal(before, Tensor.LiveCount);
        var owned = model.StateDict().Count;
        model.Dispose();
        Assert.Equal(before - owned, Tensor.LiveCount);
    }
}
