using AutoNet.Torch.Optim;
using AutoNet.Torch.Tests.Reference;

namespace AutoNet.Torch.Tests.Optim;

public sealed class GradientAccumulatorTests
{
    [Fact]
    public void Four_micro_batches_step_like_one_batch_of_their_union()
    {
        using var scope = Torch.NewDisposeScope();
        Torch.ManualSeed(5);
        var x = Torch.Randn(new long[] { 16, 6 });
        var y = Torch.Randn(new long[] { 16, 2 });
        var w0 = Torch.Randn(new long[] { 6, 2 });
        var whole = w0.Clone().RequiresGrad_();
        var micro = w0.Clone().RequiresGrad_();
        using var wholeOptimizer = new SGD(new[] { whole }, 0.1, momentum: 0.9);
        using var microOptimizer = new SGD(new[] { micro }, 0.1, momentum: 0.9);
        var accumulator = new GradientAccumulator(microOptimizer, microBatches: 4);
        for (var round = 0; round < 3; round++)
        {
            wholeOptimizer.ZeroGrad();
            var diff = x.MatMul(whole) - y;
            (diff * diff).Mean().Backward();
            wholeOptimizer.Step();

            var stepped = new List<bool>();
            for (var k = 0; k < 4; k++)
            {
                var xs = x.Narrow(0, k * 4, 4);
                var ys = y.Narrow(0, k * 4, 4);
                var d = xs.MatMul(micro) - ys;
                stepped.Add(accumulator.Backward((d * d).Mean()));
            }

            Assert.Equal(new[] { false, false, false, true }, stepped);
            Assert.Equal(0, accumulator.Pending);
            TensorAssert.Close(whole, micro, rtol: 1e-5, atol: 1e-6, what: $"round {round}");
        }

        Assert.False(whole.Equal(w0));
    }

    [Fact]
    public void Flush_rescales_a_short_group_to_its_mean_and_clips()
    {
        using var scope = Torch.NewDisposeScope();
        var w = Torch.Zeros(new long[] { 3 }).RequiresGrad_();
        using var optimizer = new SGD(new[] { w }, 1.0);
        var accumulator = new GradientAccumulator(optimizer, microBatches: 4, maxGradNorm: 1e6);
        var target = Torch.FromArray(new float[] { 1, 2, 3 });
        Assert.False(accumulator.Backward((w * target).Sum()));
        Assert.False(accumulator.Backward((w * target).Sum()));
        Assert.True(accumulator.Flush());
        // Mean of two identical micro-batch gradients is the gradient itself: w = 0 - 1.0 * target.
        Assert.Equal(new float[] { -1, -2, -3 }, w.Detach().ToArray<float>());
        Assert.Equal(Math.Sqrt(14), accumulator.LastGradNorm, 5);
        Assert.False(accumulator.Flush());
        Assert.Null(w.Grad);
    }
}
