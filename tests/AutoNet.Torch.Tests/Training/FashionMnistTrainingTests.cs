using AutoNet.Torch.NN;
using AutoNet.Torch.Optim;
using Xunit.Abstractions;

namespace AutoNet.Torch.Tests.Training;

/// <summary>A real training run end to end: modules, autograd, optimizer and dispose scopes on real data.</summary>
[Collection(LiveTensorCollection.Name)]
public sealed class FashionMnistTrainingTests(ITestOutputHelper output)
{
    private const double Mean = 0.2860;
    private const double Std = 0.3530;

    [Fact]
    public void A_small_cnn_reaches_85_percent_test_accuracy_after_one_epoch()
    {
        Assert.True(FashionMnist.IsInstalled, $"Fashion-MNIST is not in {FashionMnist.Folder}; ./test.sh installs dataset-fashion-mnist");
        var previousThreads = Torch.GetNumThreads();
        Torch.SetNumThreads(Environment.ProcessorCount);
        Torch.ManualSeed(42);
        try
        {
            var (trainImages, trainLabels) = Load(train: true);
            var (testImages, testLabels) = Load(train: false);
            using var model = new Sequential(
                new Conv2d(1, 32, 3, padding: 1), new BatchNorm2d(32), new ReLU(), new MaxPool2d(2),
                new Conv2d(32, 64, 3, padding: 1), new BatchNorm2d(64), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Dropout(0.2), new Linear(64 * 7 * 7, 10));
            using var optimizer = new AdamW(model.Parameters(), learningRate: 2e-3, weightDecay: 1e-4);

            var clock = System.Diagnostics.Stopwatch.StartNew();
            const int batch = 64;
            var count = trainLabels.Size(0);
            model.Train();
            using (var order = Torch.RandPerm(count))
            {
                for (long start = 0; start < count; start += batch)
                {
                    using var scope = Torch.NewDisposeScope();
                    var index = order.Narrow(0, start, Math.Min(batch, count - start));
                    var loss = Functional.CrossEntropy(model.Forward(trainImages.IndexSelect(0, index)), trainLabels.IndexSelect(0, index));
                    optimizer.ZeroGrad();
                    loss.Backward();
                    optimizer.Step();
                }
            }

            model.Eval();
            long correct = 0;
            using (Torch.NoGrad())
            {
                for (long start = 0; start < testLabels.Size(0); start += 1000)
                {
                    using var scope = Torch.NewDisposeScope();
                    var length = Math.Min(1000, testLabels.Size(0) - start);
                    var predicted = model.Forward(testImages.Narrow(0, start, length)).ArgMax(1);
                    correct += predicted.Eq(testLabels.Narrow(0, start, length)).Sum().Item<long>();
                }
            }

            var accuracy = (double)correct / testLabels.Size(0);
            output.WriteLine($"Fashion-MNIST test accuracy after one epoch: {accuracy:P2} in {clock.Elapsed.TotalSeconds:F1} s on {Torch.GetNumThreads()} threads");
            Assert.True(accuracy >= 0.85, $"test accuracy after one epoch was {accuracy:P2}, expected at least 85%");
            trainImages.Dispose();
            trainLabels.Dispose();
            testImages.Dispose();
            testLabels.Dispose();
        }
        finally
        {
            Torch.SetNumThreads(previousThreads);
        }
    }

    private static (Tensor Images, Tensor Labels) Load(bool train)
    {
        var (raw, labels) = FashionMnist.Load(train);
        using (raw)
        {
            using var scaled = raw.Float().Div_(255.0);
            return ((scaled - Mean).Div_(Std), labels);
        }
    }
}
