namespace AutoNet.Scheduling.Tests;

public sealed class DeviceSlotsTests
{
    [Fact]
    public void Cpu_is_one_slot_and_cuda_is_one_slot_per_device()
    {
        Assert.Equal(["cpu"], DeviceSlots.Parse("cpu", cudaDeviceCount: 2).Select(s => s.Name));
        Assert.Equal(["cuda:0", "cuda:1"], DeviceSlots.Parse("cuda", cudaDeviceCount: 2).Select(s => s.Name));
        Assert.Equal(["cuda:1", "cuda:0"], DeviceSlots.Parse("cuda:1,0", cudaDeviceCount: 2).Select(s => s.Name));
        Assert.Equal(["cpu"], DeviceSlots.Parse("auto", cudaDeviceCount: 0).Select(s => s.Name));
        Assert.Equal(["cuda:0"], DeviceSlots.Parse("auto", cudaDeviceCount: 1).Select(s => s.Name));
    }

    [Theory]
    [InlineData("cuda", 0, "no CUDA device")]
    [InlineData("cuda:0,1", 0, "'cuda:0,1': this machine has no CUDA device")]
    [InlineData("cuda:2", 2, "cuda:2 does not exist")]
    [InlineData("cuda:0,0", 1, "listed twice")]
    [InlineData("cuda:x", 1, "'x' is not a device index")]
    [InlineData("gpu", 1, "expected 'cpu', 'auto', 'cuda' or 'cuda:0,1'")]
    public void A_bad_specification_names_the_problem(string specification, int devices, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => DeviceSlots.Parse(specification, devices));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task A_slot_pool_never_hands_out_a_slot_twice_at_once()
    {
        using var pool = new SlotPool([new DeviceSlot("cuda:0"), new DeviceSlot("cuda:1")]);
        var first = await pool.AcquireAsync(default);
        var second = await pool.AcquireAsync(default);
        var third = pool.AcquireAsync(default);

        Assert.NotEqual(first.Slot, second.Slot);
        Assert.False(third.IsCompleted);
        second.Dispose();
        second.Dispose();
        Assert.Equal(second.Slot, (await third).Slot);
        first.Dispose();
    }
}
