namespace AutoNet.Torch.Tests;

public sealed class TensorBasicsTests
{
    [Fact]
    public void Tensor_round_trips_managed_data_with_shape_and_dtype()
    {
        using var t = Torch.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        Assert.Equal(new long[] { 2, 3 }, t.Shape);
        Assert.Equal(ScalarType.Float32, t.DType);
        Assert.Equal(Device.Cpu, t.Device);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, t.ToArray<float>());
        using var transposed = t.T();
        Assert.Equal(new float[] { 1, 4, 2, 5, 3, 6 }, transposed.ToArray<float>());
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.BFloat16)]
    [InlineData(ScalarType.Int64)]
    [InlineData(ScalarType.Int32)]
    [InlineData(ScalarType.UInt8)]
    [InlineData(ScalarType.Bool)]
    public void Factories_create_every_supported_dtype(ScalarType dtype)
    {
        using var ones = Torch.Ones(new long[] { 3, 2 }, dtype);
        Assert.Equal(dtype, ones.DType);
        using var asFloat = ones.To(ScalarType.Float32);
        Assert.Equal(6f, asFloat.Sum().Item<float>());
    }

    [Fact]
    public void Integer_scalars_keep_integer_tensors_integral()
    {
        using var labels = Torch.Arange(5);
        using var shifted = labels + 1;
        Assert.Equal(ScalarType.Int64, shifted.DType);
        Assert.Equal(new long[] { 1, 2, 3, 4, 5 }, shifted.ToArray<long>());
        using var scaled = labels * 0.5;
        Assert.Equal(ScalarType.Float32, scaled.DType);
    }

    [Fact]
    public void Full_infers_its_dtype_from_the_value_as_torch_full_does()
    {
        using var floats = Torch.Full(new long[] { 2 }, 1.5);
        using var longs = Torch.Full(new long[] { 2 }, 3);
        using var flags = Torch.Full(new long[] { 2 }, true);
        using var forced = Torch.Full(new long[] { 2 }, 3, ScalarType.Float32);
        Assert.Equal(ScalarType.Float32, floats.DType);
        Assert.Equal(ScalarType.Int64, longs.DType);
        Assert.Equal(ScalarType.Bool, flags.DType);
        Assert.Equal(ScalarType.Float32, forced.DType);
    }

    [Fact]
    public void Same_seed_gives_the_same_numbers()
    {
        Torch.ManualSeed(1234);
        using var a = Torch.Randn(new long[] { 16 });
        Torch.ManualSeed(1234);
        using var b = Torch.Randn(new long[] { 16 });
        using var c = Torch.Randn(new long[] { 16 });
        Assert.True(a.Equal(b));
        Assert.False(a.Equal(c));
    }

    [Fact]
    public void Rng_state_restores_the_exact_stream()
    {
        Torch.ManualSeed(7);
        using var state = Torch.GetRngState();
        using var first = Torch.Rand(new long[] { 8 });
        Torch.SetRngState(state);
        using var again = Torch.Rand(new long[] { 8 });
        Assert.True(first.Equal(again));
    }

    [Fact]
    public void Deterministic_mode_gives_bitwise_identical_training_gradients()
    {
        Torch.UseDeterministicAlgorithms(true);
        try
        {
            float[] Gradient()
            {
                using var scope = Torch.NewDisposeScope();
                Torch.ManualSeed(99);
                var x = Torch.Randn(new long[] { 8, 3, 16, 16 });
                var w = Torch.Randn(new long[] { 6, 3, 3, 3 }).RequiresGrad_();
                var y = NN.Functional.Dropout(NN.Functional.Conv2d(x, w, padding: (1, 1)), 0.3);
                NN.Functional.MaxPool2d(y, (2, 2)).Sum().Backward();
                return w.Grad!.ToArray<float>();
            }

            Assert.Equal(Gradient(), Gradient());
        }
        finally
        {
            Torch.UseDeterministicAlgorithms(false);
        }
    }

    [Fact]
    public void Thread_count_is_settable()
    {
        var previous = Torch.GetNumThreads();
        Torch.SetNumThreads(2);
        Assert.Equal(2, Torch.GetNumThreads());
        Torch.SetNumThreads(previous);
        Assert.Throws<AutoNetNativeException>(() => Torch.SetNumThreads(0));
    }

    [Fact]
    public void Split_chunk_and_cat_agree()
    {
        using var scope = Torch.NewDisposeScope();
        var x = Torch.Arange(10).Reshape(5, 2);
        var parts = x.Split(2);
        Assert.Equal(3, parts.Length);
        Assert.Equal(new long[] { 1, 2 }, parts[2].Shape);
        var chunks = x.Chunk(2, 1);
        Assert.Equal(2, chunks.Length);
        Assert.True(Torch.Cat(parts).Equal(x));
        Assert.True(Torch.Cat(chunks, 1).Equal(x));
    }

    [Fact]
    public void Autograd_computes_gradients_of_a_simple_expression()
    {
        using var scope = Torch.NewDisposeScope();
        var x = Torch.FromArray(new float[] { 1, 2, 3 }).RequiresGrad_();
        var y = (x * x).Sum();
        y.Backward();
        Assert.Equal(new float[] { 2, 4, 6 }, x.Grad!.ToArray<float>());
        using (Torch.NoGrad())
        {
            var z = x * 2;
            Assert.False(z.RequiresGrad);
        }

        Assert.True(Torch.IsGradEnabled);
    }

    [Fact]
    public void Version_and_abi_are_reported()
    {
        Assert.StartsWith("1.", Torch.Version);
        Assert.Equal(1, Torch.AbiVersion);
    }

    [CudaFact]
    public void Tensors_move_to_cuda_and_back()
    {
        using var scope = Torch.NewDisposeScope();
        var x = Torch.Randn(new long[] { 4, 4 });
        var onGpu = x.To(Device.Cuda());
        Assert.True(onGpu.Device.IsCuda);
        Assert.True(onGpu.MatMul(onGpu).Cpu().AllClose(x.MatMul(x), 1e-4, 1e-5));
    }
}
