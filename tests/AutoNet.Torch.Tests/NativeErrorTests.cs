namespace AutoNet.Torch.Tests;

public sealed class NativeErrorTests
{
    [Fact]
    public void Shape_mismatch_raises_with_libtorchs_message_and_the_process_survives()
    {
        using var a = Torch.Ones(new long[] { 2, 3 });
        using var b = Torch.Ones(new long[] { 4, 5 });
        var error = Assert.Throws<AutoNetNativeException>(() => a.MatMul(b));
        Assert.Contains("cannot be multiplied", error.Message);
        using var ok = a + a;
        Assert.Equal(12f, ok.Sum().Item<float>());
    }

    [Fact]
    public void Wrong_dtype_raises()
    {
        using var input = Torch.Randn(new long[] { 4, 3 });
        using var floatTargets = Torch.Zeros(new long[] { 4, 2 });
        var error = Assert.Throws<AutoNetNativeException>(() => NN.Functional.NllLoss(input, floatTargets));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Out_of_range_index_raises()
    {
        using var x = Torch.Arange(5);
        using var index = Torch.FromArray(new long[] { 0, 7 });
        var error = Assert.Throws<AutoNetNativeException>(() => x.IndexSelect(0, index));
        Assert.Contains("out of range", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Throws<AutoNetNativeException>(() => x.Select(0, 9));
    }

    [Fact]
    public void Wrong_conv_weight_shape_raises_instead_of_crashing()
    {
        using var input = Torch.Randn(new long[] { 1, 3, 8, 8 });
        using var weight = Torch.Randn(new long[] { 4, 5, 3, 3 });
        Assert.Throws<AutoNetNativeException>(() => NN.Functional.Conv2d(input, weight));
    }

    [Fact]
    public void Data_of_the_wrong_length_is_refused()
    {
        var error = Assert.Throws<AutoNetNativeException>(() => Torch.FromArray(new float[] { 1, 2, 3 }, 2, 2));
        Assert.Contains("12 bytes", error.Message);
    }

    [Fact]
    public void Using_a_disposed_tensor_is_a_managed_error()
    {
        var x = Torch.Ones(new long[] { 2 });
        x.Dispose();
        Assert.Throws<ObjectDisposedException>(() => x.Sum());
    }

    [Fact]
    public void A_native_library_with_another_abi_version_is_refused_with_a_clear_error()
    {
        var error = Assert.Throws<AutoNetNativeException>(() => Native.NativeLibraryLoader.VerifyAbi(Native.NativeLibraryLoader.ExpectedAbiVersion + 1));
        Assert.Contains("ABI version", error.Message);
        Assert.Contains("rebuild", error.Message);
        Native.NativeLibraryLoader.VerifyAbi(Torch.AbiVersion);
    }
}
