using AutoNet.Torch.Modules;
using AutoNet.Torch.Tests;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoNet.Training.Tests;

/// <summary>The first train+validation images of Fashion-MNIST's training file, as a trial's data.</summary>
internal sealed class FashionMnistSubset : IDisposable
{
    public static readonly string[] Classes = ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "boot"];

    private FashionMnistSubset(Tensor trainImages, Tensor trainLabels, Tensor validationImages, Tensor validationLabels)
    {
        ValidationImages = validationImages;
        ValidationLabels = validationLabels;
        TrainImages = trainImages;
        TrainLabels = trainLabels;
        Trial = new TrialData(trainImages, trainLabels, validationImages, validationLabels, Classes, [0.286], [0.353]) { AllowHorizontalFlip = true };
    }

    public TrialData Trial { get; }

    public Tensor ValidationImages { get; }

    public Tensor ValidationLabels { get; }

    private Tensor TrainImages { get; }

    private Tensor TrainLabels { get; }

    public static FashionMnistSubset Load(int train, int validation)
    {
        var (images, labels) = FashionMnist.Load(train: true, limit: train + validation);
        using (images)
        using (labels)
        {
            using var scope = NewDisposeScope();
            return new FashionMnistSubset(Part(images, 0, train), Part(labels, 0, train), Part(images, train, validation), Part(labels, train, validation));
        }
    }

    /// <summary>A ~5k-parameter CNN for 1×28×28 inputs and 10 classes (seed the generator first).</summary>
    public static Sequential SmallCnn() => nn.Sequential(
        nn.Conv2d(1, 16, 3, padding: 1), new FreezableBatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding: 1), new FreezableBatchNorm2d(32), nn.ReLU(), nn.Dropout(0.1),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 10));

    private static Tensor Part(Tensor source, int start, int length) => source.narrow(0, start, length).clone().DetachFromDisposeScope();

    public void Dispose()
    {
        TrainImages.Dispose();
        TrainLabels.Dispose();
        ValidationImages.Dispose();
        ValidationLabels.Dispose();
    }
}
