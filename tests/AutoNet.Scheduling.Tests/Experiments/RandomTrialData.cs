using AutoNet.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Scheduling.Tests.Experiments;

/// <summary>Seeded random 28 × 28 gray images of ten balanced classes, serving as both training and validation split.</summary>
internal sealed class RandomTrialData : IDisposable
{
    private readonly Tensor images;
    private readonly Tensor labels;

    public RandomTrialData(int count)
    {
        using var generator = new Generator(5);
        images = torch.randint(0, 256, [count, 1, 28, 28], ScalarType.Byte, generator: generator);
        labels = torch.arange(count, ScalarType.Int64).remainder(10);
        Data = new TrialData(images, labels, images, labels, [.. Enumerable.Range(0, 10).Select(i => $"c{i}")], [0.5], [0.3]);
    }

    public TrialData Data { get; }

    public void Dispose()
    {
        images.Dispose();
        labels.Dispose();
    }
}
