using AutoNet.Torch;
using AutoNet.Torch.NN;
using AutoNet.Torch.Tests;

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
            return new FashionMnistSubset(images.Narrow(0, 0, train).Clone(), labels.Narrow(0, 0, train).Clone(),
                images.Narrow(0, train, validation).Clone(), labels.Narrow(0, train, validation).Clone());
        }
    }

    /// <summary>A ~5k-parameter CNN for 1×28×28 inputs and 10 classes (seed the generator first).</summary>
    public static Sequential SmallCnn() => new(
        new Conv2d(1, 16, 3, padding: 1), new BatchNorm2d(16), new ReLU(), new MaxPool2d(2),
        new Conv2d(16, 32, 3, padding: 1), new BatchNorm2d(32), new ReLU(), new Dropout(0.1),
        new AdaptiveAvgPool2d(1), new Flatten(), new Linear(32, 10));

    public void Dispose()
    {
        TrainImages.Dispose();
        TrainLabels.Dispose();
        ValidationImages.Dispose();
        ValidationLabels.Dispose();
    }
}
