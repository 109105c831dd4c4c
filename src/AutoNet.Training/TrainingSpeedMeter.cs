using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Training;

/// <summary>
/// Measures how long a model takes to train on this device: a few warm-up steps (allocations, kernel choice), then
/// the median of timed steps of forward, cross-entropy, backward and an optimizer step on a random batch. A step ends
/// by reading the loss back, so a CUDA device has finished the work when the clock stops. The model's weights change;
/// measure on a throwaway copy.
/// </summary>
public static class TrainingSpeedMeter
{
    /// <summary>Seconds per training image at <paramref name="batchSize"/> images a step.</summary>
    public static double SecondsPerImage(nn.Module<Tensor, Tensor> model, TrainingHyperparameters hyperparameters, long channels, long height, long width, int classes,
        Device device, int warmup = 2, int repeats = 3)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(hyperparameters);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        var batch = hyperparameters.BatchSize;
        ArgumentNullException.ThrowIfNull(device);
        model.train();
        using var optimizer = OptimizerFactory.Create(model, hyperparameters);
        using var images = torch.randn([batch, channels, height, width], device: device);
        using var hostLabels = torch.tensor(Enumerable.Range(0, batch).Select(i => (long)(i % classes)).ToArray());
        using var labels = hostLabels.to(device);
        var times = new double[repeats];
        for (var i = -warmup; i < repeats; i++)
        {
            using var scope = torch.NewDisposeScope();
            var clock = Stopwatch.StartNew();
            var loss = nn.functional.cross_entropy(model.forward(images), labels);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            _ = loss.item<float>();
            if (i >= 0)
            {
                times[i] = clock.Elapsed.TotalSeconds;
            }
        }

        Array.Sort(times);
        return times[repeats / 2] / batch;
    }
}
