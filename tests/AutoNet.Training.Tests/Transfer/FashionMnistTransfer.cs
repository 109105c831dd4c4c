using System.Diagnostics;
using AutoNet.Models.MacroCnn;
using AutoNet.Models.Transfer;
using AutoNet.Torch;
using AutoNet.Torch.NN;
using AutoNet.Torch.Tests;

namespace AutoNet.Training.Tests.Transfer;

using Torch = AutoNet.Torch.Torch;

/// <summary>
/// The transfer protocol of issue 4 on Fashion-MNIST, shared by the test and experiments/transfer: pretrain a small
/// CNN on classes 0–4 (t-shirt, trouser, pullover, dress, coat), then learn classes 5–9 (sandal, shirt, sneaker,
/// bag, boot) from a few images per class twice with the same budget — from the pretrained feature extractor (a new
/// linear head, head-only epochs, then fine-tuning at a lower rate) and from scratch — and evaluate both on the
/// test images of classes 5–9. Every choice is seeded.
/// </summary>
internal static class FashionMnistTransfer
{
    public static readonly string[] SourceClasses = ["t-shirt", "trouser", "pullover", "dress", "coat"];

    public static readonly string[] TargetClasses = ["sandal", "shirt", "sneaker", "bag", "boot"];

    /// <summary>The network for both phases: 16 → 32 → 64 channels, residual after the first stage, 5 classes.</summary>
    public static MacroCnnNetwork Network() => new(new MacroCnnConfig(1, 5,
        [new MacroCnnStage(16, 1), new MacroCnnStage(32, 1, Residual: true), new MacroCnnStage(64, 1, Residual: true)]));

    public static TransferReport Run(TransferSettings settings, string workspace, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var (trainImages, trainLabels) = FashionMnist.Load(train: true, limit: settings.TrainPoolImages);
        var (testImages, testLabels) = FashionMnist.Load(train: false);
        using (trainImages)
        using (trainLabels)
        using (testImages)
        using (testLabels)
        {
            var trainTruth = trainLabels.ToArray<long>();
            var testTruth = testLabels.ToArray<long>();
            var random = new Random((int)settings.Seed);

            // Source: the first images of classes 0–4 in file order; target shots and validation come from later
            // images of classes 5–9, shuffled with the seed, never overlapping.
            var source = Indices(trainTruth, c => c < 5).Take(settings.PretrainImages).ToArray();
            var validationPerClass = settings.ValidationImages / 5;
            var targetPools = Enumerable.Range(5, 5).Select(c => Shuffle(Indices(trainTruth, l => l == c).ToArray(), random)).ToArray();
            var validation = targetPools.SelectMany(p => p.Take(validationPerClass)).ToArray();
            var test = Indices(testTruth, c => c >= 5).Take(settings.TestImages).ToArray();

            using var testX = Select(testImages, test);
            using var testY = Select(testLabels, test, offset: 5);
            using var validationX = Select(trainImages, validation);
            using var validationY = Select(trainLabels, validation, offset: 5);

            var clock = Stopwatch.StartNew();
            var pretrainedPath = Path.Combine(workspace, "pretrained");
            double sourceAccuracy;
            using (var sourceX = Select(trainImages, source))
            using (var sourceY = Select(trainLabels, source))
            using (var pretrained = Seeded(settings.Seed, Network))
            {
                var data = new TrialData(sourceX, sourceY, validationX, validationY, SourceClasses, [0.286], [0.353]) { AllowHorizontalFlip = true };
                var trainer = new TrialTrainer(pretrained, data, settings.Pretraining, new TrialTrainerOptions { CheckpointDirectory = pretrainedPath });
                trainer.Train(settings.Pretraining.Epochs);
                sourceAccuracy = SourceTestAccuracy(trainer, testImages, testLabels, testTruth, settings.TestImages);
                AutoNet.Torch.Safetensors.SafetensorsFile.Write(Path.Combine(workspace, "pretrained.safetensors"), pretrained.StateDict());
            }

            log?.Invoke($"pretrained on {source.Length} images of classes 0-4 in {clock.Elapsed.TotalSeconds:F0} s: test accuracy on classes 0-4 {sourceAccuracy:P1}");
            var rows = new List<TransferRow>();
            foreach (var shots in settings.ImagesPerClass)
            {
                var picked = targetPools.SelectMany(p => p.Skip(validationPerClass).Take(shots)).ToArray();
                using var shotX = Select(trainImages, picked);
                using var shotY = Select(trainLabels, picked, offset: 5);
                var data = new TrialData(shotX, shotY, validationX, validationY, TargetClasses, [0.286], [0.353]) { AllowHorizontalFlip = true };
                var budget = settings.FineTuning with { BatchSize = Math.Min(settings.FineTuning.BatchSize, picked.Length / 2) };
                if (settings.FineTuningSteps is { } steps)
                {
                    // The same number of optimizer steps whatever the number of images: epochs = steps / steps per epoch.
                    budget = budget with { Epochs = Math.Max(budget.HeadOnlyEpochs + 1, (int)Math.Ceiling(steps / (double)(picked.Length / budget.BatchSize))) };
                }

                clock.Restart();
                double transferAccuracy;
                using (var transfer = Seeded(budget.Seed, () => Transferred(Path.Combine(workspace, "pretrained.safetensors"), settings.FreezeFraction)))
                {
                    transferAccuracy = TrainAndTest(transfer, data, budget, Path.Combine(workspace, $"transfer-{shots}"), testX, testY);
                }

                var transferSeconds = clock.Elapsed.TotalSeconds;
                clock.Restart();
                double scratchAccuracy;
                var scratchBudget = budget with { HeadOnlyEpochs = 0, UnfreezeLearningRateMultiplier = 1 };
                using (var scratch = Seeded(budget.Seed, Network))
                {
                    scratchAccuracy = TrainAndTest(scratch, data, scratchBudget, Path.Combine(workspace, $"scratch-{shots}"), testX, testY);
                }

                var row = new TransferRow(shots, transferAccuracy, scratchAccuracy, transferSeconds, clock.Elapsed.TotalSeconds);
                log?.Invoke($"{shots} images per class: transfer {row.TransferAccuracy:P1} ({row.TransferSeconds:F0} s), scratch {row.ScratchAccuracy:P1} ({row.ScratchSeconds:F0} s)");
                rows.Add(row);
            }

            return new TransferReport(source.Length, sourceAccuracy, test.Length, rows);
        }
    }

    /// <summary>The pretrained network's feature extractor (weights from the file) under a new linear head for classes 5–9.</summary>
    public static TransferNetwork Transferred(string weightsPath, double freezeFraction, long numClasses = 5)
    {
        var network = Network();
        using (var weights = AutoNet.Torch.Safetensors.SafetensorsFile.Read(weightsPath))
        {
            network.LoadStateDict(weights.Tensors);
        }

        return new TransferNetwork(FeatureExtractor.From(network), TransferHead.Linear(), numClasses, freezeFraction);
    }

    private static double TrainAndTest(Module model, TrialData data, TrainingHyperparameters hyperparameters, string checkpoint, Tensor testX, Tensor testY)
    {
        var trainer = new TrialTrainer(model, data, hyperparameters, new TrialTrainerOptions { CheckpointDirectory = checkpoint });
        trainer.Train(hyperparameters.Epochs);
        return trainer.Evaluate(testX, testY).Accuracy;
    }

    private static double SourceTestAccuracy(TrialTrainer trainer, Tensor testImages, Tensor testLabels, long[] testTruth, int count)
    {
        var indices = Indices(testTruth, c => c < 5).Take(count).ToArray();
        using var x = Select(testImages, indices);
        using var y = Select(testLabels, indices);
        return trainer.Evaluate(x, y).Accuracy;
    }

    private static T Seeded<T>(long seed, Func<T> build)
    {
        Torch.ManualSeed(seed);
        return build();
    }

    private static IEnumerable<long> Indices(long[] labels, Func<long, bool> keep)
    {
        for (long i = 0; i < labels.Length; i++)
        {
            if (keep(labels[i]))
            {
                yield return i;
            }
        }
    }

    private static long[] Shuffle(long[] items, Random random)
    {
        random.Shuffle(items);
        return items;
    }

    private static Tensor Select(Tensor source, long[] indices, long offset = 0)
    {
        using var index = Torch.FromArray(indices, indices.Length);
        var picked = source.IndexSelect(0, index);
        if (offset == 0)
        {
            return picked;
        }

        using (picked)
        {
            return picked.Sub(offset);
        }
    }
}

/// <summary>What <see cref="FashionMnistTransfer.Run"/> does: image counts, recipes and the seed.</summary>
internal sealed record TransferSettings
{
    public int TrainPoolImages { get; init; } = 20000;

    public int PretrainImages { get; init; } = 5000;

    /// <summary>Images of classes 5–9 (a fifth each) the trainer validates on after every epoch.</summary>
    public int ValidationImages { get; init; } = 50;

    public int TestImages { get; init; } = 1000;

    public IReadOnlyList<int> ImagesPerClass { get; init; } = [10, 50];

    public double FreezeFraction { get; init; }

    /// <summary>When set, the fine-tuning budget in optimizer steps (the same for every images-per-class setting) instead of <see cref="FineTuning"/>'s epochs.</summary>
    public int? FineTuningSteps { get; init; }

    public long Seed { get; init; } = 11;

    public TrainingHyperparameters Pretraining { get; init; } = new() { Epochs = 4, BatchSize = 50, WarmupEpochs = 0.5, Seed = 11 };

    public TrainingHyperparameters FineTuning { get; init; } = new()
    {
        Epochs = 6, BatchSize = 25, WarmupEpochs = 1, HeadOnlyEpochs = 1, UnfreezeLearningRateMultiplier = 1, Seed = 12,
    };
}

internal sealed record TransferRow(int ImagesPerClass, double TransferAccuracy, double ScratchAccuracy, double TransferSeconds, double ScratchSeconds);

internal sealed record TransferReport(int PretrainImages, double SourceTestAccuracy, int TestImages, IReadOnlyList<TransferRow> Rows);
