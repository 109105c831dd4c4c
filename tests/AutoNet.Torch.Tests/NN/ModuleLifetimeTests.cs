using AutoNet.Torch.NN;

namespace AutoNet.Torch.Tests;

/// <summary>Modules own their tensors: scopes never free them, Dispose frees all of them.</summary>
[Collection(LiveTensorCollection.Name)]
public sealed class ModuleLifetimeTests
{
    private static Sequential Model() => new(
        new Conv2d(3, 4, 3), new BatchNorm2d(4), new ReLU(), new AdaptiveAvgPool2d(1), new Flatten(),
        new ModuleList(new Linear(4, 4), new LayerNorm(4)), new Linear(4, 2), new LSTM(2, 3, numLayers: 2), new Embedding(3, 2));

    [Fact]
    public void Disposing_a_module_frees_every_parameter_and_buffer()
    {
        var before = Tensor.LiveCount;
        var model = Model();
        var count = model.StateDict().Count;
        Assert.Equal(before + count, Tensor.LiveCount);
        model.Dispose();
        Assert.Equal(before, Tensor.LiveCount);
        Assert.All(model.Parameters(), p => Assert.True(p.IsDisposed));
    }

    [Fact]
    public void A_dispose_scope_around_construction_and_training_steps_frees_only_the_step_tensors()
    {
        var before = Tensor.LiveCount;
        Sequential model;
        using (Torch.NewDisposeScope())
        {
            model = new Sequential(new Conv2d(3, 4, 3), new BatchNorm2d(4), new ReLU(), new Flatten(), new Linear(4 * 4 * 4, 2));
        }

        var owned = model.StateDict().Count;
        Assert.Equal(before + owned, Tensor.LiveCount);
        for (var step = 0; step < 3; step++)
        {
            using var scope = Torch.NewDisposeScope();
            var loss = model.Forward(Torch.Randn(new long[] { 2, 3, 6, 6 })).Sum();
            loss.Backward();
            model.To(ScalarType.Float32);
        }

        Assert.All(model.Parameters(), p => Assert.False(p.IsDisposed));
        Assert.Equal(before + owned, Tensor.LiveCount);
        model.Dispose();
        Assert.Equal(before, Tensor.LiveCount);
    }
}
