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
        torch.manual_seed(10);
        using var model = BackboneFactory.Create(name, new BackboneOptions { NumClasses = 3 });
        model.FreezeStages(1);
        using var input = torch.randn(2, 3, 32, 32);

        // Garbage tensors finalized while this test counts would lower the count: those other tests left behind, and
        // those TorchSharp's own constructors drop (a biased Conv2d's reset_parameters leaves one wrapper to the
        // finalizer: EfficientNet-B0's 32 squeeze-excitation convs, finalized mid-count in a full run). Collected
        // here, after construction, so the baseline holds only live tensors.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var before = TorchEngine.CountLiveTensors();
        using (var output = model.forward(input))
        {
            Assert.Equal(before + 1, TorchEngine.CountLiveTensors());
        }

        Assert.Equal(before, TorchEngine.CountLiveTensors());
        for (var step = 0; step < 2; step++)
        {
            using var scope = torch.NewDisposeScope();
            model.forward(input).sum().backward();
            model.ForwardFeatures(input).sum().backward();
        }

        Assert.Equal(before, TorchEngine.CountLiveTensors());
        var owned = model.state_dict().Count;
        model.Dispose();
        Assert.Equal(before - owned, TorchEngine.CountLiveTensors());
    }
}
