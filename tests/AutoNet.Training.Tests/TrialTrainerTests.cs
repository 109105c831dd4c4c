using AutoNet.Torch.Safetensors;
using AutoNet.Torch.Tests;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoNet.Training.Tests;

/// <summary>The trainer on a real Fashion-MNIST subset with a small CNN: resume, observers, failures, evaluation.</summary>
public sealed class TrialTrainerTests : IDisposable
{
    private readonly string workspace = Path.Combine(Path.GetTempPath(), $"autonet-trainer-{Guid.NewGuid():N}");
    private readonly int previousThreads = torch.get_num_threads();

    public TrialTrainerTests()
    {
        Assert.True(FashionMnist.IsInstalled, $"Fashion-MNIST is not in {FashionMnist.Folder}; ./test.sh installs dataset-fashion-mnist");
        torch.set_num_threads(2);
    }

    [Fact]
    public void Two_epochs_then_two_more_after_a_restart_equal_four_epochs_straight_through()
    {
        using var data = FashionMnistSubset.Load(train: 800, validation: 200);
        var hyperparameters = Recipe() with { Epochs = 4 };

        var straight = TrainFresh(data, hyperparameters, "straight", 4, out var straightWeights);
        Train(data, hyperparameters, "resumed", 2, out var halfWeights);
        foreach (var tensor in halfWeights.Values)
        {
            tensor.Dispose();
        }

        var resumed = Train(data, hyperparameters, "resumed", 4, out var resumedWeights);

        Assert.Equal(4, resumed.EpochsCompleted);
        Assert.Equal(straight.History.Select(h => h.Epoch), resumed.History.Select(h => h.Epoch));
        for (var e = 0; e < 4; e++)
        {
            Assert.Equal(straight.History[e].TrainLoss, resumed.History[e].TrainLoss, 4);
            Assert.Equal(straight.History[e].ValidationAccuracy, resumed.History[e].ValidationAccuracy, 3);
        }

        foreach (var (name, expected) in straightWeights)
        {
            using var scope = torch.NewDisposeScope();
            var difference = expected.sub(resumedWeights[name]).abs().max().to(ScalarType.Float64).item<double>();
            Assert.True(difference < 1e-4, $"{name} differs by {difference}");
            expected.Dispose();
            resumedWeights[name].Dispose();
        }
    }

    [Fact]
    public void The_model_learns_and_the_test_evaluation_is_complete_and_saved()
    {
        using var data = FashionMnistSubset.Load(train: 1000, validation: 300);
        var hyperparameters = Recipe() with { Epochs = 3 };
        using var model = SmallCnn(hyperparameters.Seed);
        var trainer = new TrialTrainer(model, data.Trial, hyperparameters, Options("learns"));

        var outcome = trainer.Train(3);
        var predictions = Path.Combine(workspace, "predictions.safetensors");
        var metrics = trainer.Evaluate(data.ValidationImages, data.ValidationLabels, predictions);

        Assert.Equal(TrainingStopReason.ReachedTarget, outcome.StopReason);
        Assert.True(outcome.History[^1].TrainLoss < outcome.History[0].TrainLoss, "training loss did not fall");
        // Chance is 10 %; 60 steps of a 5k-parameter CNN get well past it.
        Assert.True(metrics.Accuracy > 0.35, $"validation accuracy {metrics.Accuracy:P1} after 3 epochs on 1,000 images");
        Assert.Equal(outcome.History[^1].ValidationAccuracy, metrics.Accuracy, 6);
        Assert.NotNull(metrics.Top5Accuracy);
        Assert.Equal(10, metrics.PerClass.Count);
        using var saved = SafetensorsFile.Read(predictions);
        Assert.Equal([300L, 10L], saved.Tensors["probabilities"].shape);
        Assert.True(outcome.History.All(h => h.Seconds > 0 && h.PeakMemoryBytes > 0));
    }

    [Fact]
    public void An_observer_that_pauses_stops_the_trial_after_that_epoch_with_its_checkpoint()
    {
        using var data = FashionMnistSubset.Load(train: 300, validation: 100);
        var observer = new PausingObserver(pauseAfter: 1);
        using var model = SmallCnn(1);
        var trainer = new TrialTrainer(model, data.Trial, Recipe() with { Epochs = 3 }, Options("paused") with { Observer = observer });

        var outcome = trainer.Train(3);

        Assert.Equal(TrainingStopReason.Paused, outcome.StopReason);
        Assert.Equal(1, outcome.EpochsCompleted);
        Assert.True(TrainingCheckpoint.Exists(Path.Combine(workspace, "paused")));
        Assert.True(observer.ProgressCalls > 0);
    }

    [Fact]
    public void An_absurd_learning_rate_fails_the_trial_with_the_reason()
    {
        using var data = FashionMnistSubset.Load(train: 400, validation: 100);
        using var model = SmallCnn(2);
        var trainer = new TrialTrainer(model, data.Trial, Recipe() with { Epochs = 2, LearningRate = 1e6, GradientClipNorm = 0, WarmupEpochs = 0 },
            Options("absurd"));

        var error = Assert.Throws<TrialFailedException>(() => trainer.Train(2));

        Assert.Contains(error.Kind, new[] { TrialFailureKind.NonFiniteLoss, TrialFailureKind.Diverged });
        Assert.Matches(@"at epoch \d+, step \d+", error.Message);
    }

    [Fact]
    public void A_cancelled_run_returns_with_the_completed_epochs()
    {
        using var data = FashionMnistSubset.Load(train: 300, validation: 100);
        using var model = SmallCnn(3);
        using var cancel = new CancellationTokenSource();
        var observer = new PausingObserver(pauseAfter: int.MaxValue) { OnEpoch = _ => cancel.Cancel() };
        var trainer = new TrialTrainer(model, data.Trial, Recipe() with { Epochs = 3 }, Options("cancelled") with { Observer = observer });

        var outcome = trainer.Train(3, cancel.Token);

        Assert.Equal(TrainingStopReason.Cancelled, outcome.StopReason);
        Assert.Equal(1, outcome.EpochsCompleted);
    }

    public void Dispose()
    {
        torch.set_num_threads(previousThreads);
        if (Directory.Exists(workspace))
        {
            Directory.Delete(workspace, recursive: true);
        }
    }

    private static TrainingHyperparameters Recipe() => new()
    {
        Optimizer = OptimizerKind.Sgd, LearningRate = 0.05, BatchSize = 50, WarmupEpochs = 0.5, Seed = 7,
    };

    private TrialTrainerOptions Options(string name) => new() { CheckpointDirectory = Path.Combine(workspace, name) };

    private TrainingOutcome TrainFresh(FashionMnistSubset data, TrainingHyperparameters hyperparameters, string name, int target, out Dictionary<string, Tensor> weights) =>
        Train(data, hyperparameters, name, target, out weights);

    private TrainingOutcome Train(FashionMnistSubset data, TrainingHyperparameters hyperparameters, string name, int target, out Dictionary<string, Tensor> weights)
    {
        // A new process would build the model from the same seed, then the trainer restores the checkpoint.
        using var model = SmallCnn(hyperparameters.Seed);
        var outcome = new TrialTrainer(model, data.Trial, hyperparameters, Options(name)).Train(target);
        weights = model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone());
        return outcome;
    }

    private static Sequential SmallCnn(long seed)
    {
        torch.manual_seed(seed);
        return FashionMnistSubset.SmallCnn();
    }

    private sealed class PausingObserver(int pauseAfter) : ITrialObserver
    {
        public int ProgressCalls { get; private set; }

        public Action<EpochMetrics>? OnEpoch { get; init; }

        public TrialDecision OnEpochCompleted(EpochMetrics metrics)
        {
            OnEpoch?.Invoke(metrics);
            return metrics.Epoch >= pauseAfter ? TrialDecision.Pause : TrialDecision.Continue;
        }

        public void OnProgress(int epoch, int step, int stepsInEpoch) => ProgressCalls++;
    }
}
