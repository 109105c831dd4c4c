using TorchSharp;

namespace AutoNet.Scheduling.Tests;

/// <summary>Slot and option names turned into TorchSharp devices, and CUDA refused by name where this process has none.</summary>
public sealed class TorchDevicesTests
{
    [Theory]
    [InlineData("cpu", DeviceType.CPU, "cpu")]
    [InlineData(" CPU ", DeviceType.CPU, "cpu")]
    [InlineData("cuda", DeviceType.CUDA, "cuda:0")]
    [InlineData("cuda:3", DeviceType.CUDA, "cuda:3")]
    public void Cpu_cuda_and_cuda_n_become_torchsharp_devices(string text, DeviceType type, string name)
    {
        var device = TorchDevices.Parse(text);

        Assert.Equal(type, device.type);
        Assert.Equal(name, TorchDevices.Name(device));
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:0,1")]
    public void Anything_else_is_refused_naming_the_value(string text)
    {
        var error = Assert.Throws<FormatException>(() => TorchDevices.Parse(text));

        Assert.Contains($"'{text}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cuda_device_this_process_lacks_is_refused_naming_the_value()
    {
        var count = TorchDevices.CudaDeviceCount;
        var missing = $"cuda:{count}";

        var error = Assert.Throws<ArgumentException>(() => TorchDevices.ParseAvailable(missing));

        Assert.Contains($"'{missing}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(count == 0 ? "CUDA is not available" : "does not exist", error.Message, StringComparison.Ordinal);
        Assert.Equal(DeviceType.CPU, TorchDevices.ParseAvailable("cpu").type);
    }
}
