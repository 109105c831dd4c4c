using System.Diagnostics;
using AutoNet.Models.MacroCnn;
using AutoNet.Models.Transfer;
using AutoNet.Torch.Tests;
using AutoNet.Torch.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Training.Tests.Transfer;

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
            var trainTruth = trainLabels.data<long>().ToArray();
            var testTruth = testLabels.data<long>().ToArray();
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
                ModuleWeights.Save(pretrained, Path.Combine(workspace, "pretrained.safetensors"));
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

                // Every transfer variant is trained, the one with the best validation accuracy is chosen (ties: the first
                // listed), and only the chosen one is evaluated on the test images: the test set decides nothing.
                var variants = new List<TransferVariantResult>();
                TrialTrainer? chosenTrainer = null;
                nn.Module<Tensor, Tensor>? chosenModel = null;
                var bestValidation = double.NegativeInfinity;
                double transferAccuracy;
                try
                {
                    foreach (var variant in settings.TransferVariants())
                    {
                        clock.Restart();
                        var recipe = budget with { HeadOnlyEpochs = variant.HeadOnlyEpochs, UnfreezeLearningRateMultiplier = variant.UnfreezeLearningRateMultiplier };
                        var model = Seeded(budget.Seed, () => Transferred(Path.Combine(workspace, "pretrained.safetensors"), settings.FreezeFraction));
                        var trainer = Train(model, data, recipe, Path.Combine(workspace, $"transfer-{variant.Name}-{shots}"));
                        var validationAccuracy = trainer.Evaluate(validationX, validationY).Accuracy;
                        variants.Add(new TransferVariantResult(variant, validationAccuracy, clock.Elapsed.TotalSeconds));
                        log?.Invoke($"{shots} images per class, transfer variant {variant.Name}: validation {validationAccuracy:P1} ({clock.Elapsed.TotalSeconds:F0} s)");
                        if (validationAccuracy > bestValidation)
                        {
                            chosenModel?.Dispose();
                            (chosenTrainer, chosenModel, bestValidation) = (trainer, model, validationAccuracy);
                        }
                        else
                        {
                            model.Dispose();
                        }
                    }

                    transferAccuracy = chosenTrainer!.Evaluate(testX, testY).Accuracy;
                }
                finally
                {
                    chosenModel?.Dispose();
                }

                var chosen = variants.MaxBy(v => v.ValidationAccuracy)!;
                clock.Restart();
                double scratchAccuracy, scratchValidation;
                var scratchBudget = budget with { HeadOnlyEpochs = 0, UnfreezeLearningRateMultiplier = 1 };
                using (var scratch = Seeded(budget.Seed, Network))
                {
                    var trainer = Train(scratch, data, scratchBudget, Path.Combine(workspace, $"scratch-{shots}"));
                    scratchValidation = trainer.Evaluate(validationX, validationY).Accuracy;
                    scratchAccuracy = trainer.Evaluate(testX, testY).Accuracy;
                }

                var row = new TransferRow(shots, chosen.Variant.Name, transferAccuracy, scratchAccuracy, chosen.Seconds, clock.Elapsed.TotalSeconds)
                {
                    Variants = variants,
                    ScratchValidationAccuracy = scratchValidation,
                };
                log?.Invoke($"{shots} images per class: transfer ({row.ChosenVariant}, chosen on validation) {row.TransferAccuracy:P1} ({row.TransferSeconds:F0} s), "
                    + $"scratch {row.ScratchAccuracy:P1} ({row.ScratchSeconds:F0} s) on the test images");
                rows.Add(row);
            }

            return new TransferReport(source.Length, sourceAccuracy, test.Length, rows);
        }
    }

    /// <summary>The pretrained network's feature extractor (weights from the file) under a new linear head for classes 5–9.</summary>
    public static TransferNetwork Transferred(string weightsPath, double freezeFraction, long numClasses = 5)
    {
        var network = Network();
        // Copied into the network's own parameters (TorchSharp's load_state_dict would keep the file's tensors).
        ModuleWeights.Load(network, weightsPath);

        return new TransferNetwork(FeatureExtractor.From(network), TransferHead.Linear(), numClasses, freezeFraction);
    }

    private static TrialTrainer Train(nn.Module<Tensor, Tensor> model, TrialData data, TrainingHyperparameters hyperparameters, string checkpoint)
    {
        var trainer = new TrialTrainer(model, data, hyperparameters, new TrialTrainerOptions { CheckpointDirectory = checkpoint });
        trainer.Train(hyperparameters.Epochs);
        return trainer;
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
        torch.manual_seed(seed);
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
        using var index = torch.tensor(indices);
        var picked = source.index_select(0, index);
        if (offset == 0)
        {
            return picked;
        }

        using (picked)
        {
            return picked.sub(offset);
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

    /// <summary>
    /// The transfer recipes to choose among on validation accuracy; empty means the one of <see cref="FineTuning"/>.
    /// </summary>
    public IReadOnlyList<TransferVariant> Variants { get; init; } = [];

    public long Seed { get; init; } = 11;

    public TrainingHyperparameters Pretraining { get; init; } = new() { Epochs = 4, BatchSize = 50, WarmupEpochs = 0.5, Seed = 11 };

    public TrainingHyperparameters FineTuning { get; init; } = new()
    {
        Epochs = 6, BatchSize = 25, WarmupEpochs = 1, HeadOnlyEpochs = 1, UnfreezeLearningRateMultiplier = 1, Seed = 12,
    };

    public IReadOnlyList<TransferVariant> TransferVariants() =>
        Variants.Count > 0 ? Variants : [new TransferVariant("default", FineTuning.HeadOnlyEpochs, FineTuning.UnfreezeLearningRateMultiplier)];
}

/// <summary>
/// One images-per-class setting: the transfer variant chosen on validation accuracy and its test accuracy (the only
/// transfer test figure measured), scratch's test accuracy, and every variant's validation accuracy.
/// </summary>
internal sealed record TransferRow(int ImagesPerClass, string ChosenVariant, double TransferAccuracy, double ScratchAccuracy, double TransferSeconds, double ScratchSeconds)
{
    public IReadOnlyList<TransferVariantResult> Variants { get; init; } = [];

    public double ScratchValidationAccuracy { get; init; }
}

/// <summary>A transfer fine-tuning recipe to choose among: head-only epochs first, then the backbone at a multiple of the head's rate.</summary>
internal sealed record TransferVariant(string Name, int HeadOnlyEpochs, double UnfreezeLearningRateMultiplier);

internal sealed record TransferVariantResult(TransferVariant Variant, double ValidationAccuracy, double Seconds);

internal sealed record TransferReport(int PretrainImages, double SourceTestAccuracy, int TestImages, IReadOnlyList<TransferRow> Rows);
