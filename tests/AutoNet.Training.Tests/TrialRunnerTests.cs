
using AutoNet.Data.Cache;
using AutoNet.Data.Loading;
using AutoNet.Data.Sources;
using AutoNet.Data.Splits;
using AutoNet.Models;
using TorchSharp;

namespace AutoNet.Training.Tests;

public sealed class TrialRunnerTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"autonet-runner-{Guid.NewGuid():N}");
    private readonly int previousThreads = torch.get_num_threads();

    public TrialRunnerTests() => torch.set_num_threads(2);

    [Fact]
    public void A_trial_that_completes_its_budget_is_evaluated_on_the_test_split_and_timed()
    {
        using var data = FashionMnistSubset.Load(train: 300, validation: 100);
        var request = new TrialRequest(FashionMnistSubset.SmallCnn, data.Trial, new TrainingHyperparameters { Epochs = 2, BatchSize = 50 }, folder, 2)
        {
            Test = (data.ValidationImages, data.ValidationLabels),
        };

        var result = TrialRunner.Run(request);

        Assert.Equal(2, result.Outcome.EpochsCompleted);
        Assert.NotNull(result.Test);
        Assert.Equal(100, result.Test.Count);
        Assert.NotNull(result.Latency);
        Assert.True(result.Latency.MillisecondsPerImageAtBatch1 > 0 && result.Latency.MillisecondsPerImageAtBatchSize > 0);
        Assert.Equal(50, result.Latency.BatchSize);
        Assert.True(File.Exists(result.PredictionsPath));
        using (var fresh = FashionMnistSubset.SmallCnn())
        {
            Assert.Equal(fresh.ParameterCount(), result.Parameters);
        }
    }

    [Fact]
    public void A_trial_trains_from_the_decoded_cache_with_its_split_and_class_weights()
    {
        var all = BuiltInDataSets.Open(BuiltInDataSets.FashionMnistName);
        var subset = new DataSetListing(all.Source, all.ClassNames, [.. all.Samples.Where(s => s.GivenSplit == SplitPart.Train).Take(600)], []);
        var split = new StratifiedSplitter(new SplitFractions(0.8, 0.1, 0.1), seed: 5).Split(subset);
        var cache = DecodedCache.Open(Path.Combine(folder, "workspace"), subset, split, new DecodedCacheSettings(28, 28) { Threads = 2 });
        var balance = new ClassBalance(cache.ClassNames, cache.Metadata.Part(SplitPart.Train).ClassCounts);
        using var testImages = cache.Images(SplitPart.Test);
        using var testLabels = cache.Labels(SplitPart.Test);
        var data = TrialData.FromCache(cache, allowHorizontalFlip: true) with { ClassWeights = balance.Weights };
        try
        {
            var result = TrialRunner.Run(new TrialRequest(FashionMnistSubset.SmallCnn, data, new TrainingHyperparameters { Epochs = 2, BatchSize = 32 },
                Path.Combine(folder, "trial"), 2) { Test = (testImages, testLabels) });

            Assert.Equal(2, result.Outcome.EpochsCompleted);
            Assert.All(result.Outcome.History, epoch => Assert.True(double.IsFinite(epoch.TrainLoss) && epoch.ValidationAccuracy > 0.1));
            Assert.Equal(cache.Count(SplitPart.Test), result.Test!.Count);
        }
        finally
        {
            data.TrainImages.Dispose();
            data.TrainLabels.Dispose();
            data.ValidationImages.Dispose();
            data.ValidationLabels.Dispose();
        }
    }

    [Fact]
    public void A_trial_stopped_below_its_budget_is_not_evaluated_and_continues_later()
    {
        using var data = FashionMnistSubset.Load(train: 300, validation: 100);
        var hyperparameters = new TrainingHyperparameters { Epochs = 3, BatchSize = 50 };
        var first = TrialRunner.Run(new TrialRequest(FashionMnistSubset.SmallCnn, data.Trial, hyperparameters, folder, 1)
        {
            Test = (data.ValidationImages, data.ValidationLabels),
        });

        var second = TrialRunner.Run(new TrialRequest(FashionMnistSubset.SmallCnn, data.Trial, hyperparameters, folder, 3)
        {
            Test = (data.ValidationImages, data.ValidationLabels),
        });

        Assert.Null(first.Test);
        Assert.Equal(1, first.Outcome.EpochsCompleted);
        Assert.Equal(3, second.Outcome.EpochsCompleted);
        Assert.Equal(first.Outcome.History[0], second.Outcome.History[0]);
        Assert.NotNull(second.Test);
    }

    [Fact]
    public void A_network_that_cannot_be_built_is_an_invalid_configuration()
    {
        using var data = FashionMnistSubset.Load(train: 100, validation: 20);

        var error = Assert.Throws<TrialFailedException>(() => TrialRunner.Run(new TrialRequest(
            () => throw new ArgumentException("op 'conv_9x9' is not in the registry"), data.Trial, new TrainingHyperparameters(), folder, 1)));

        Assert.Equal(TrialFailureKind.InvalidConfiguration, error.Kind);
        Assert.Contains("conv_9x9", error.Message);
    }

    public void Dispose()
    {
        torch.set_num_threads(previousThreads);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
