using AutoNet.Torch.Optimizers;
using System.Diagnostics;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace AutoNet.Torch.Tests.Training;

/// <summary>A real training run end to end with plain TorchSharp: modules, autograd, AdamW and dispose scopes on real data.</summary>
[Collection(LiveTensorCollection.Name)]
public sealed class FashionMnistTrainingTests(ITestOutputHelper output)
{
    private const double Mean = 0.2860;
    private const double Std = 0.3530;

    [FashionMnistFact]
    public void A_small_cnn_reaches_85_percent_test_accuracy_after_one_epoch()
    {
        torch.manual_seed(42);
        var (trainImages, trainLabels) = Load(train: true);
        var (testImages, testLabels) = Load(train: false);
        using var model = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding: 1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding: 1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Dropout(0.2), nn.Linear(64 * 7 * 7, 10));
        using var optimizer = new FinalizerSafeAdamW(model.parameters(), learningRate: 2e-3, weightDecay: 1e-4);
        var live = TorchEngine.CountLiveTensors();

        var clock = Stopwatch.StartNew();
        const int batch = 64;
        var count = trainLabels.shape[0];
        model.train();
        using (var order = torch.randperm(count))
        {
            for (long start = 0; start < count; start += batch)
            {
                using var scope = torch.NewDisposeScope();
                var index = order.narrow(0, start, Math.Min(batch, count - start));
                var loss = nn.functional.cross_entropy(model.forward(trainImages.index_select(0, index)), trainLabels.index_select(0, index));
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
            }
        }

        model.eval();
        long correct = 0;
        using (torch.no_grad())
        {
            for (long start = 0; start < testLabels.shape[0]; start += 1000)
            {
                using var scope = torch.NewDisposeScope();
                var length = Math.Min(1000, testLabels.shape[0] - start);
                var predicted = model.forward(testImages.narrow(0, start, length)).argmax(1);
                correct += predicted.eq(testLabels.narrow(0, start, length)).sum().item<long>();
            }
        }

        var accuracy = (double)correct / testLabels.shape[0];
        output.WriteLine($"Fashion-MNIST test accuracy after one epoch: {accuracy:P2} in {clock.Elapsed.TotalSeconds:F1} s on {torch.get_num_threads()} threads");
        Assert.True(accuracy >= 0.85, $"test accuracy after one epoch was {accuracy:P2}, expected at least 85%");
        // TorchSharp's AdamW makes its moments when constructed: nothing the epoch made outlives it. (Measured: the
        // count ends 2 below, TorchSharp's accounting of wrappers it disposes; TrainingLeakTests holds the exact count.)
        Assert.True(TorchEngine.CountLiveTensors() <= live, $"{TorchEngine.CountLiveTensors()} live tensors after the epoch, {live} before it");
        trainImages.Dispose();
        trainLabels.Dispose();
        testImages.Dispose();
        testLabels.Dispose();
    }

    private static (Tensor Images, Tensor Labels) Load(bool train)
    {
        var (raw, labels) = FashionMnist.Load(train);
        using (raw)
        {
            using var scope = torch.NewDisposeScope();
            return (raw.to(ScalarType.Float32).div_(255.0).sub_(Mean).div_(Std).MoveToOuterDisposeScope(), labels);
        }
    }
}
