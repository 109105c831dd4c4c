using AutoNet.Models.Backbones;
using AutoNet.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Models.Tests.Backbones;

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
        torch.manual_seed(10);
        using var model = BackboneFactory.Create(name, new BackboneOptions { NumClasses = 3 });
        model.FreezeStages(1);
        using var input = torch.randn(2, 3, 32, 32);
        var before = TorchEngine.LiveTensors;
        using (var output = model.forward(input))
        {
            Assert.Equal(before + 1, TorchEngine.LiveTensors);
        }

        Assert.Equal(before, TorchEngine.LiveTensors);
        for (var step = 0; step < 2; step++)
        {
            using var scope = torch.NewDisposeScope();
            model.forward(input).sum().backward();
            model.ForwardFeatures(input).sum().backward();
        }

        Assert.Equal(before, TorchEngine.LiveTensors);
        var owned = model.state_dict().Count;
        model.Dispose();
        Assert.Equal(before - owned, TorchEngine.LiveTensors);
    }
}
