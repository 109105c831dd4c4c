using System.Diagnostics;
using AutoNet.Torch;
using AutoNet.Torch.NN;

namespace AutoNet.Training;

using Torch = AutoNet.Torch.Torch;

/// <summary>
/// Measures how long a model takes to train on this device: a few warm-up steps (allocations, kernel choice), then
/// the median of timed steps of forward, cross-entropy, backward and an optimizer step on a random batch. A step ends
/// by reading the loss back, so a CUDA device has finished the work when the clock stops. The model's weights change;
/// measure on a throwaway copy.
/// </summary>
public static class TrainingSpeedMeter
{
    /// <summary>Seconds per training image at <paramref name="batchSize"/> images a step.</summary>
    public static double SecondsPerImage(Module model, TrainingHyperparameters hyperparameters, long channels, long height, long width, int classes,
        Device device, int warmup = 2, int repeats = 3)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(hyperparameters);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        var batch = hyperparameters.BatchSize;
        model.Train();
        using var optimizer = OptimizerFactory.Create(model, hyperparameters);
        using var images = Torch.Randn([batch, channels, height, width], device: device);
        using var hostLabels = Torch.FromArray(Enumerable.Range(0, batch).Select(i => (long)(i % classes)).ToArray(), batch);
        using var labels = hostLabels.To(device);
        var times = new double[repeats];
        for (var i = -warmup; i < repeats; i++)
        {
            using var scope = Torch.NewDisposeScope();
            var clock = Stopwatch.StartNew();
            var loss = Functional.CrossEntropy(model.Forward(images), labels);
            optimizer.ZeroGrad();
            loss.Backward();
            optimizer.Step();
            _ = loss.Item<float>();
            if (i >= 0)
            {
                times[i] = clock.Elapsed.TotalSeconds;
            }
        }

        Array.Sort(times);
        return times[repeats / 2] / batch;
    }
}
