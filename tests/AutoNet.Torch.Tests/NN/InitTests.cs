using AutoNet.Torch.NN;

namespace AutoNet.Torch.Tests;

/// <summary>nn.init formulas and the default initialisation of layers, checked on large tensors' statistics.</summary>
public sealed class InitTests
{
    private static (double Min, double Max, double Mean, double Std) Stats(Tensor t)
    {
        var values = t.Detach().To(ScalarType.Float64).ToArray<double>();
        var mean = values.Average();
        var std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
        return (values.Min(), values.Max(), mean, std);
    }

    [Fact]
    public void Gains_and_fans_follow_torch_nn_init()
    {
        Assert.Equal(Math.Sqrt(2), Init.CalculateGain(Nonlinearity.Relu), 12);
        Assert.Equal(5.0 / 3, Init.CalculateGain(Nonlinearity.Tanh), 12);
        Assert.Equal(1.0, Init.CalculateGain(Nonlinearity.Conv2d), 12);
        Assert.Equal(Math.Sqrt(2.0 / (1 + 0.01 * 0.01)), Init.CalculateGain(Nonlinearity.LeakyRelu), 12);
        Assert.Equal(Math.Sqrt(2.0 / 6), Init.CalculateGain(Nonlinearity.LeakyRelu, Math.Sqrt(5)), 12);
        using var scope = Torch.NewDisposeScope();
        Assert.Equal((3L * 5 * 7, 4L * 5 * 7), Init.CalculateFanInAndFanOut(Torch.Empty(new long[] { 4, 3, 5, 7 })));
        Assert.Throws<ArgumentException>(() => Init.CalculateFanInAndFanOut(Torch.Empty(new long[] { 4 })));
    }

    [Fact]
    public void Conv2d_and_linear_defaults_fill_pytorchs_kaiming_and_bias_bounds()
    {
        using var scope = Torch.NewDisposeScope();
        Torch.ManualSeed(1);
        using var conv = new Conv2d(64, 256, 3);
        var fanIn = 64 * 9;

        // kaiming_uniform_(a = sqrt(5)) gives the bound gain * sqrt(3 / fan_in) = 1 / sqrt(fan_in).
        var bound = 1 / Math.Sqrt(fanIn);
        var w = Stats(conv.Weight);
        Assert.InRange(w.Max, bound * 0.99, bound);
        Assert.InRange(w.Min, -bound, -bound * 0.99);
        Assert.InRange(w.Std, bound / Math.Sqrt(3) * 0.98, bound / Math.Sqrt(3) * 1.02);
        var b = Stats(conv.Bias!);
        Assert.InRange(b.Max, 0, bound);
        Assert.InRange(b.Min, -bound, 0);

        using var linear = new Linear(400, 300);
        var l = Stats(linear.Weight);
        Assert.InRange(l.Max, 0.99 / 20, 1.0 / 20);
        Assert.InRange(l.Min, -1.0 / 20, -0.99 / 20);
    }

    [Fact]
    public void Kaiming_xavier_and_truncated_normal_have_their_documented_spread()
    {
        using var scope = Torch.NewDisposeScope();
        Torch.ManualSeed(2);
        var t = Torch.Empty(new long[] { 200, 100, 3, 3 });
        var fanIn = 900.0;
        var fanOut = 1800.0;

        Init.KaimingNormal_(t, mode: FanMode.FanOut, nonlinearity: Nonlinearity.Relu);
        Assert.InRange(Stats(t).Std, Math.Sqrt(2 / fanOut) * 0.98, Math.Sqrt(2 / fanOut) * 1.02);

        Init.KaimingUniform_(t, nonlinearity: Nonlinearity.Relu);
        var bound = Math.Sqrt(2) * Math.Sqrt(3 / fanIn);
        Assert.InRange(Stats(t).Max, bound * 0.99, bound);

        Init.XavierUniform_(t, gain: 2);
        var xb = 2 * Math.Sqrt(6 / (fanIn + fanOut));
        Assert.InRange(Stats(t).Max, xb * 0.99, xb);

        Init.XavierNormal_(t);
        Assert.InRange(Stats(t).Std, Math.Sqrt(2 / (fanIn + fanOut)) * 0.98, Math.Sqrt(2 / (fanIn + fanOut)) * 1.02);

        Init.TruncNormal_(t, mean: 1, std: 2, a: 0, b: 3);
        var tn = Stats(t);
        Assert.InRange(tn.Min, 0, 0.01);
        Assert.InRange(tn.Max, 2.99, 3);

        // N(1, 2) cut to [0, 3] = [mean - 0.5 std, mean + std] has mean 1 + 2 (phi(-0.5) - phi(1)) / (Phi(1) - Phi(-0.5)).
        var expectedMean = 1 + (2 * (0.3520653267642995 - 0.24197072451914337) / (0.8413447460685429 - 0.3085375387259869));
        Assert.InRange(tn.Mean, expectedMean - 0.01, expectedMean + 0.01);

        Init.Constant_(t, 0.25);
        Assert.Equal((0.25, 0.25), (Stats(t).Min, Stats(t).Max));
    }

    [Fact]
    public void Norm_layers_start_at_ones_and_zeros_and_lstm_within_one_over_sqrt_hidden()
    {
        using var scope = Torch.NewDisposeScope();
        using var bn = new BatchNorm2d(5);
        Assert.Equal(new float[] { 1, 1, 1, 1, 1 }, bn.Weight!.ToArray<float>());
        Assert.Equal(new float[5], bn.Bias!.ToArray<float>());
        Assert.Equal(new float[] { 1, 1, 1, 1, 1 }, bn.RunningVar!.ToArray<float>());
        Assert.Equal(0L, bn.NumBatchesTracked!.Item<long>());

        using var lstm = new LSTM(30, 25, numLayers: 2);
        foreach (var p in lstm.Parameters())
        {
            var s = Stats(p);
            Assert.InRange(s.Max, 0.18, 0.2);
            Assert.InRange(s.Min, -0.2, -0.18);
        }

        using var embedding = new Embedding(1000, 20, paddingIdx: 3);
        Assert.InRange(Stats(embedding.Weight).Std, 0.97, 1.03);
        Assert.All(embedding.Weight[3].ToArray<float>(), v => Assert.Equal(0f, v));
    }
}
