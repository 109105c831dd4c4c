using AutoNet.Torch.NN;

namespace AutoNet.Torch.Tests;

/// <summary>Moving a module between devices keeps its tensors' identities, so optimizers holding them keep working.</summary>
public sealed class ModuleDeviceTests
{
    [CudaFact]
    public void To_cuda_and_back_moves_parameters_gradients_and_buffers_in_place()
    {
        using var scope = Torch.NewDisposeScope();
        using var model = new Sequential(new Conv2d(3, 4, 3), new BatchNorm2d(4), new Flatten(), new Linear(4, 2));
        var parameters = model.Parameters().ToList();
        var cpuState = model.StateDict().ToDictionary(p => p.Key, p => p.Value.Clone());
        model.To(Device.Cuda());
        Assert.Equal(parameters, model.Parameters());
        Assert.All(model.StateDict().Values, t => Assert.True(t.Device.IsCuda));
        using (var y = model.Forward(Torch.Randn(new long[] { 2, 3, 3, 3 }, device: Device.Cuda())))
        {
            y.Sum().Backward();
        }

        Assert.All(model.Parameters(), p => Assert.True(p.Grad!.Device.IsCuda));
        model.Eval().To(Device.Cpu);
        Assert.All(model.Parameters(), p => Assert.False(p.Grad!.Device.IsCuda));
        Assert.True(cpuState["0.weight"].Equal(model.StateDict()["0.weight"]));
        Assert.False(cpuState["1.running_mean"].Equal(model.StateDict()["1.running_mean"]));
    }
}
