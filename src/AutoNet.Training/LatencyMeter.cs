using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Training;

/// <summary>
/// Measures a model's inference latency in eval mode without gradients: a few warm-up passes, then the median of
/// timed passes. Each pass ends by reading a value back, so a CUDA device has finished the work when the clock stops.
/// </summary>
public static class LatencyMeter
{
    public static InferenceLatency Measure(nn.Module<Tensor, Tensor> model, long channels, long height, long width, Device device, int batchSize,
        int warmup = 3, int repeats = 10)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = torch.no_grad();
            var single = MedianMilliseconds(model, [1, channels, height, width], device, warmup, repeats);
            var batched = MedianMilliseconds(model, [batchSize, channels, height, width], device, warmup, repeats) / batchSize;
            return new InferenceLatency(device.ToString(), single, batchSize, batched, repeats);
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    private static double MedianMilliseconds(nn.Module<Tensor, Tensor> model, long[] shape, Device device, int warmup, int repeats)
    {
        using var input = torch.randn(shape, device: device);
        var times = new double[repeats];
        for (var i = -warmup; i < repeats; i++)
        {
            using var scope = torch.NewDisposeScope();
            var clock = Stopwatch.StartNew();
            _ = model.forward(input).sum().item<float>();
            if (i >= 0)
            {
                times[i] = clock.Elapsed.TotalMilliseconds;
            }
        }

        Array.Sort(times);
        return repeats % 2 == 1 ? times[repeats / 2] : (times[(repeats / 2) - 1] + times[repeats / 2]) / 2;
    }
}
