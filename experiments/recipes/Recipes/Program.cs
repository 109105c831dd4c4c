using AutoNet.Experiments;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AutoNet.Data.Cache;
using AutoNet.Data.Sources;
using AutoNet.Data.Splits;
using AutoNet.Models.Cells;
using AutoNet.Models.Genotypes;
using AutoNet.Models.MacroCnn;
using AutoNet.Torch;
using TorchSharp;
using static TorchSharp.torch;
using AutoNet.Training;

// Fashion-MNIST test accuracy and wall time of two networks trained with the trainer's default recipe
// (TrainingHyperparameters' defaults: SGD-Nesterov 0.05, cosine with 1 warm-up epoch, label smoothing 0.1, augment
// strength 0.5, test-time flip) for a fixed number of epochs on the full 60,000 training images (the decoded
// cache's train + validation parts, concatenated) and evaluated on the 10,000 test images:
//   --model macro   the hand-written macro-cnn point below
//   --model darts   DARTS_V2's published cells in a small network (C=8, 1 normal cell per stage, 3 stages)
// The per-epoch "validation" column is the test split (the run makes no decision on it: fixed epochs, last weights).
// Appends the run to experiments/recipes/results/recipes.json, with the machine's load average before and after.
var model = Text("--model", "macro");
var epochs = Argument("--epochs", 5);
var threads = Argument("--threads", 2);
var seed = Argument("--seed", 0);
var stepLimit = Argument("--steps", 0);
var root = ExperimentArguments.RepositoryRoot();
var output = Path.Combine(root, "experiments", "recipes", "results", "recipes.json");

TorchEngine.Initialize(threads);
var loadBefore = File.ReadAllText("/proc/loadavg").Trim();
var workspace = Path.Combine(root, "artifacts", "recipes-workspace");
var listing = BuiltInDataSets.Open(BuiltInDataSets.FashionMnistName);
var split = new StratifiedSplitter(seed: 0).Split(listing);
var cache = DecodedCache.Open(workspace, listing, split, new DecodedCacheSettings(28, 28) { Threads = threads });
using var trainPart = cache.Images(SplitPart.Train);
using var validationPart = cache.Images(SplitPart.Validation);
using var trainLabelsPart = cache.Labels(SplitPart.Train);
using var validationLabelsPart = cache.Labels(SplitPart.Validation);
using var trainImages = torch.cat([trainPart, validationPart]);
using var trainLabels = torch.cat([trainLabelsPart, validationLabelsPart]);
using var testImages = cache.Images(SplitPart.Test);
using var testLabels = cache.Labels(SplitPart.Test);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"fashion-mnist: {trainImages.shape[0]} training images, {testImages.shape[0]} test images; {threads} threads; load {loadBefore}"));

var data = new TrialData(trainImages, trainLabels, testImages, testLabels, cache.ClassNames, cache.Mean, cache.Std) { AllowHorizontalFlip = true };
var hyperparameters = new TrainingHyperparameters { Epochs = epochs, Seed = seed };
torch.manual_seed(seed);
var (description, network, setDropPath) = Build(model);
using (network)
{
    var checkpoint = Path.Combine(workspace, "runs", $"{model}-{Guid.NewGuid():N}");
    var observer = new ConsoleObserver();
    var trainer = new TrialTrainer(network, data, hyperparameters, new TrialTrainerOptions
    {
        CheckpointDirectory = checkpoint, Observer = observer, SetDropPath = setDropPath, ProgressEvery = 100,
    });
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{description}: {network.parameters().Sum(p => p.numel()):N0} parameters, {trainer.StepsPerEpoch} steps per epoch, {epochs} epochs"));
    if (stepLimit > 0)
    {
        // Timing probe only: a few steps, nothing recorded.
        observer.StopAfterSteps = stepLimit;
    }

    var clock = Stopwatch.StartNew();
    var outcome = trainer.Train(epochs);
    var trainSeconds = clock.Elapsed.TotalSeconds;
    var metrics = trainer.Evaluate(testImages, testLabels);
    var totalSeconds = clock.Elapsed.TotalSeconds;
    var loadAfter = File.ReadAllText("/proc/loadavg").Trim();
    Directory.Delete(checkpoint, recursive: true);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{model}: test accuracy {metrics.Accuracy:P2} after {outcome.EpochsCompleted} epochs; training {trainSeconds:F0} s, with test evaluation {totalSeconds:F0} s; load {loadAfter}"));

    var entry = new JsonObject
    {
        ["model"] = model,
        ["description"] = description,
        ["parameters"] = network.parameters().Sum(p => p.numel()),
        ["epochs"] = outcome.EpochsCompleted,
        ["recipe"] = JsonSerializer.SerializeToNode(hyperparameters),
        ["test_accuracy"] = Math.Round(metrics.Accuracy, 4),
        ["test_top5_accuracy"] = metrics.Top5Accuracy is { } top5 ? Math.Round(top5, 4) : null,
        ["train_seconds"] = Math.Round(trainSeconds, 1),
        ["total_seconds"] = Math.Round(totalSeconds, 1),
        ["epoch_seconds"] = new JsonArray([.. outcome.History.Select(h => (JsonNode?)Math.Round(h.Seconds, 1))]),
        ["epoch_test_accuracy"] = new JsonArray([.. outcome.History.Select(h => (JsonNode?)Math.Round(h.ValidationAccuracy, 4))]),
        ["threads"] = threads,
        ["load_average_before"] = loadBefore,
        ["load_average_after"] = loadAfter,
        ["train_images"] = trainImages.shape[0],
        ["test_images"] = testImages.shape[0],
        ["seed"] = seed,
        ["date_utc"] = DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture),
        ["command"] = $"dotnet run -c Release --project experiments/recipes/Recipes -- --model {model} --epochs {epochs} --threads {threads} --seed {seed}",
    };
    if (stepLimit == 0)
    {
        var all = File.Exists(output) ? JsonNode.Parse(File.ReadAllText(output))!.AsArray() : [];
        all.Add(entry);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        File.WriteAllText(output, all.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"recorded in {output}");
    }
}

(string Description, nn.Module<Tensor, Tensor> Network, Action<double>? SetDropPath) Build(string name)
{
    switch (name)
    {
        case "macro":
        {
            // Residual stages 32-64-128 at 28, 14 and 7 pixels, max-pool downsampling, average pooling.
            var config = new MacroCnnConfig(1, 10, [new MacroCnnStage(32, 1), new MacroCnnStage(64, 2, Residual: true), new MacroCnnStage(128, 2, Residual: true)],
                MacroCnnDownsampling.MaxPool, GlobalPooling.Average, Dropout: 0.1);
            return ("macro-cnn: plain 32 (depth 1) | residual 64 (depth 2) | residual 128 (depth 2), 3x3, max-pool, avg-pool, dropout 0.1",
                new MacroCnnNetwork(config), null);
        }

        case "darts":
        {
            var settings = new CellNetworkSettings(InitialChannels: 8, CellsPerStage: 1, Stages: 3, InputChannels: 1, NumClasses: 10, DropPath: 0.1);
            var network = new CellNetwork(PublishedGenotypes.DartsV2, settings);
            return ("DARTS_V2 cells, C=8, 1 normal cell per stage, 3 stages (5 cells), stem x3, drop-path 0.1", network,
                p => network.DropPathProbability = p);
        }

        default:
            throw new ArgumentException($"--model {name}: expected macro or darts");
    }
}

int Argument(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

string Text(string name, string fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}

internal sealed class ConsoleObserver : ITrialObserver
{
    private readonly Stopwatch clock = Stopwatch.StartNew();

    public int StopAfterSteps { get; set; }

    public TrialDecision OnEpochCompleted(EpochMetrics metrics)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"epoch {metrics.Epoch}: train loss {metrics.TrainLoss:F4}, train acc {metrics.TrainAccuracy:P2}, test acc {metrics.ValidationAccuracy:P2}, {metrics.Seconds:F0} s"));
        return TrialDecision.Continue;
    }

    public void OnProgress(int epoch, int step, int stepsInEpoch)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  epoch {epoch} step {step}/{stepsInEpoch} at {clock.Elapsed.TotalSeconds:F0} s"));
        if (StopAfterSteps > 0 && step >= StopAfterSteps)
        {
            Environment.Exit(0);
        }
    }
}
