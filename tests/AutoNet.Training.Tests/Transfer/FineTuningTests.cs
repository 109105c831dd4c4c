using AutoNet.Models.Transfer;
using AutoNet.Torch.Safetensors;
using AutoNet.Torch.Tests;
using TorchSharp;
using TorchSharp.Modules;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace AutoNet.Training.Tests.Transfer;

/// <summary>
/// Fine-tuning a <see cref="TransferNetwork"/> in the trainer on a real Fashion-MNIST subset: the head-only phase
/// leaves the feature extractor exactly as pretrained, fine-tuning moves only its unfrozen stages at the lower rate,
/// a run resumed across the phase change equals one straight through, and transfer beats training from scratch.
/// </summary>
public sealed class FineTuningTests : IDisposable
{
    private readonly string workspace = Path.Combine(Path.GetTempPath(), $"autonet-finetune-{Guid.NewGuid():N}");
    private readonly int previousThreads = torch.get_num_threads();

    private readonly ITestOutputHelper output;

    public FineTuningTests(ITestOutputHelper output)
    {
        this.output = output;
        Assert.True(FashionMnist.IsInstalled, $"Fashion-MNIST is not in {FashionMnist.Folder}; ./test.sh installs dataset-fashion-mnist");
        torch.set_num_threads(2);
        Directory.CreateDirectory(workspace);
    }

    [Fact]
    public void The_head_only_epochs_leave_the_feature_extractor_exactly_as_pretrained()
    {
        using var data = FashionMnistSubset.Load(train: 300, validation: 100);
        var weights = PretrainedFile();
        using var model = Transferred(weights, freezeFraction: 0);
        var before = Snapshot(model, "backbone.");
        var trainer = new TrialTrainer(model, data.Trial, Recipe() with { Epochs = 3, HeadOnlyEpochs = 2 }, Options("head-only"));

        trainer.Train(2);

        Assert.Equal(TransferPhase.HeadOnly, model.Phase);
        var after = Snapshot(model, "backbone.");
        foreach (var (name, tensor) in before)
        {
            // Weights and batch-norm running statistics alike: the frozen extractor is a fixed function.
            Assert.True(Same(tensor, after[name]), $"{name} changed during the head-only epochs");
        }

        var head = Snapshot(model, "head.");
        using var fresh = Transferred(weights, freezeFraction: 0);
        var freshHead = Snapshot(fresh, "head.");
        Assert.All(head, p => Assert.False(Same(p.Value, freshHead[p.Key]), $"{p.Key} did not train"));
        Dispose(before, after, head, freshHead);
    }

    [Fact]
    public void Fine_tuning_trains_only_the_unfrozen_stages_at_the_lower_learning_rate()
    {
        using var data = FashionMnistSubset.Load(train: 300, validation: 100);
        var weights = PretrainedFile();
        using var model = Transferred(weights, freezeFraction: 0.5);
        var before = Snapshot(model, "backbone.");
        var trainer = new TrialTrainer(model, data.Trial, Recipe() with { Epochs = 2, HeadOnlyEpochs = 1, UnfreezeLearningRateMultiplier = 0.1 },
            Options("fine-tune"));

        var outcome = trainer.Train(2);

        // 3 stages, half frozen: round(1.5) = 2 stay frozen (stages.0 and stages.1), stages.2 trains.
        Assert.Equal(2, model.FrozenStagesWhenFineTuning);
        var after = Snapshot(model, "backbone.");
        foreach (var (name, tensor) in before.Where(p => !p.Key.StartsWith("backbone.classifier.", StringComparison.Ordinal)))
        {
            var frozen = !name.StartsWith("backbone.stages.2.", StringComparison.Ordinal);
            Assert.True(frozen == Same(tensor, after[name]), $"{name}: expected {(frozen ? "unchanged (frozen stage)" : "trained")}");
        }

        Assert.All(before.Where(p => p.Key.StartsWith("backbone.classifier.", StringComparison.Ordinal)), p => Assert.True(Same(p.Value, after[p.Key])));
        Assert.Equal(2, outcome.History.Count);
        Dispose(before, after);

        // The optimizer's groups: the head at the learning rate, the unfrozen stage at a tenth of it.
        using var optimizer = ProbeOptimizer(model, Recipe() with { UnfreezeLearningRateMultiplier = 0.1 });
        var rates = optimizer.ParamGroups.Select(g => g.LearningRate).Distinct().Order().ToArray();
        Assert.Equal(new[] { 0.005, 0.05 }, rates, new ToleranceComparer(1e-12));
    }

    [Fact]
    public void A_fine_tuning_run_resumed_across_the_phase_change_equals_one_straight_through()
    {
        using var data = FashionMnistSubset.Load(train: 400, validation: 100);
        var weights = PretrainedFile();
        var hyperparameters = Recipe() with { Epochs = 4, HeadOnlyEpochs = 2, UnfreezeLearningRateMultiplier = 0.2 };

        var straight = Train(weights, data, hyperparameters, "straight", 4, out var straightWeights);
        Train(weights, data, hyperparameters, "resumed", 1, out var firstWeights);
        Dispose(firstWeights);
        var resumed = Train(weights, data, hyperparameters, "resumed", 4, out var resumedWeights);

        Assert.Equal(4, resumed.EpochsCompleted);
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
        }

        Dispose(straightWeights, resumedWeights);
    }

    [Fact]
    public void Head_only_epochs_on_a_model_that_is_not_a_transfer_network_are_refused()
    {
        using var data = FashionMnistSubset.Load(train: 100, validation: 50);
        torch.manual_seed(1);
        using var model = FashionMnistSubset.SmallCnn();

        var error = Assert.Throws<ArgumentException>(() => new TrialTrainer(model, data.Trial, Recipe() with { HeadOnlyEpochs = 1 }, Options("refused")));

        Assert.Contains("HeadOnlyEpochs = 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("TransferNetwork", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Features_pretrained_on_five_classes_beat_training_from_scratch_on_the_other_five_when_images_are_scarce()
    {
        // The same short budget for transfer and scratch, 30 optimizer steps at either size: with few images and few
        // steps, what matters is how good the starting point already is.
        var report = FashionMnistTransfer.Run(new TransferSettings { FineTuningSteps = 30 }, workspace, output.WriteLine);

        Assert.InRange(report.SourceTestAccuracy, 0.7, 1.0);
        Assert.Equal([10, 50], report.Rows.Select(r => r.ImagesPerClass));

        // Seen with 30 steps: 85.4 % vs 75.5 % at 10 images per class, 84.8 % vs 76.6 % at 50.
        var scarce = report.Rows[0];
        Assert.True(scarce.TransferAccuracy > scarce.ScratchAccuracy + 0.05,
            $"10 images per class: transfer {scarce.TransferAccuracy:P1} vs scratch {scarce.ScratchAccuracy:P1}");

        var more = report.Rows[1];
        Assert.True(more.TransferAccuracy > more.ScratchAccuracy + 0.03,
            $"50 images per class: transfer {more.TransferAccuracy:P1} vs scratch {more.ScratchAccuracy:P1}");
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
        Optimizer = OptimizerKind.Sgd, LearningRate = 0.05, BatchSize = 50, WarmupEpochs = 0.5, Seed = 5,
    };

    private static OptimizerHelper ProbeOptimizer(TransferNetwork model, TrainingHyperparameters hyperparameters)
    {
        model.SetPhase(TransferPhase.FineTune);
        return OptimizerFactory.Create(
            [([.. model.HeadParameters()], 1.0), ([.. model.FineTunedBackboneParameters()], hyperparameters.UnfreezeLearningRateMultiplier)], hyperparameters);
    }

    /// <summary>A "pretrained" macro-cnn: seeded random weights with non-trivial batch-norm statistics, as a file.</summary>
    private string PretrainedFile()
    {
        var path = Path.Combine(workspace, "pretrained.safetensors");
        if (File.Exists(path))
        {
            return path;
        }

        torch.manual_seed(3);
        using var network = FashionMnistTransfer.Network();
        using (torch.no_grad())
        {
            // One training-mode pass gives the batch norms running statistics that are not the initial ones.
            using var input = torch.randn(32, 1, 28, 28);
            using var _ = network.forward(input);
        }

        SafetensorsFile.Write(path, network.state_dict());
        return path;
    }

    private static TransferNetwork Transferred(string weights, double freezeFraction)
    {
        torch.manual_seed(9);
        return FashionMnistTransfer.Transferred(weights, freezeFraction, numClasses: 10);
    }

    private TrainingOutcome Train(string weights, FashionMnistSubset data, TrainingHyperparameters hyperparameters, string name, int target,
        out Dictionary<string, Tensor> trained)
    {
        // A new process builds the network the same way (pretrained file, seeded head), then the trainer resumes.
        using var model = Transferred(weights, freezeFraction: 0.25);
        var outcome = new TrialTrainer(model, data.Trial, hyperparameters, Options(name)).Train(target);
        trained = Snapshot(model, string.Empty);
        return outcome;
    }

    private TrialTrainerOptions Options(string name) => new() { CheckpointDirectory = Path.Combine(workspace, name) };

    private static Dictionary<string, Tensor> Snapshot(TransferNetwork model, string prefix) =>
        model.state_dict().Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(p => p.Key, p => p.Value.detach().clone());

    private static bool Same(Tensor a, Tensor b) => a.Equals(b);

    private static void Dispose(params Dictionary<string, Tensor>[] snapshots)
    {
        foreach (var tensor in snapshots.SelectMany(s => s.Values))
        {
            tensor.Dispose();
        }
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
