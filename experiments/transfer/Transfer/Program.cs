using AutoNet.Experiments;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AutoNet.Torch;
using TorchSharp;
using AutoNet.Training;
using AutoNet.Training.Tests.Transfer;

// Issue 4's transfer benchmark on real data: a small CNN pretrained on Fashion-MNIST classes 0-4, then classes 5-9
// learnt from 10 and from 50 images per class, from the pretrained feature extractor (new linear head, head-only
// epochs, then fine-tuning) and from scratch with the same budget, both evaluated on the test images of classes
// 5-9. The protocol is tests/AutoNet.Training.Tests/Transfer/FashionMnistTransfer.cs (the test runs it smaller).
// The transfer recipes of --variants (name:head-only epochs:backbone rate multiplier, comma-separated) are all
// trained; the one with the best validation accuracy is chosen and only it is evaluated on the test images.
// Writes experiments/transfer/results/transfer.json.
var threads = Argument("--threads", 2);
var seed = Argument("--seed", 11);
var pretrainImages = Argument("--pretrain-images", 10000);
var pretrainEpochs = Argument("--pretrain-epochs", 5);
var testImages = Argument("--test-images", 5000);
var epochs = Argument("--epochs", 15);
var variants = Variants(Text("--variants", null) ?? "full-rate:1:1,lower-backbone-rate:2:0.3");
var freeze = Number("--freeze-fraction", 0);
var output = Text("--output", null) ?? Path.Combine(ExperimentArguments.RepositoryRoot(), "experiments", "transfer", "results", "transfer.json");

TorchEngine.Initialize(threads);
var settings = new TransferSettings
{
    TrainPoolImages = 60000,
    PretrainImages = pretrainImages,
    TestImages = testImages,
    FreezeFraction = freeze,
    Seed = seed,
    Pretraining = new TrainingHyperparameters { Epochs = pretrainEpochs, BatchSize = 64, WarmupEpochs = 0.5, Seed = seed },
};
settings = settings with
{
    FineTuning = settings.FineTuning with { Epochs = epochs, Seed = seed + 1 },
    Variants = variants,
};
var loadBefore = File.ReadAllText("/proc/loadavg").Trim();
var workspace = Path.Combine(Path.GetTempPath(), $"autonet-transfer-bench-{Guid.NewGuid():N}");
Directory.CreateDirectory(workspace);
TransferReport report;
try
{
    report = FashionMnistTransfer.Run(settings, workspace, Console.WriteLine);
}
finally
{
    Directory.Delete(workspace, recursive: true);
}

var result = new JsonObject
{
    ["protocol"] = "pretrain on Fashion-MNIST classes 0-4, then classes 5-9 from N images per class: transfer (pretrained feature extractor + new linear head) vs scratch, same budget, test images of classes 5-9; "
        + "the transfer variant is chosen on validation accuracy, and only the chosen one is tested",
    ["network"] = "macro-cnn 16 | residual 32 | residual 64, 3x3, max-pool, average pooling",
    ["pretrain_images"] = report.PretrainImages,
    ["pretrain_epochs"] = pretrainEpochs,
    ["source_test_accuracy"] = Math.Round(report.SourceTestAccuracy, 4),
    ["test_images"] = report.TestImages,
    ["fine_tuning"] = JsonSerializer.SerializeToNode(settings.FineTuning),
    ["validation_images"] = settings.ValidationImages,
    ["freeze_fraction"] = freeze,
    ["rows"] = new JsonArray([.. report.Rows.Select(r => (JsonNode?)new JsonObject
    {
        ["images_per_class"] = r.ImagesPerClass,
        ["transfer_variant_chosen_on_validation"] = r.ChosenVariant,
        ["transfer_test_accuracy"] = Math.Round(r.TransferAccuracy, 4),
        ["scratch_test_accuracy"] = Math.Round(r.ScratchAccuracy, 4),
        ["scratch_validation_accuracy"] = Math.Round(r.ScratchValidationAccuracy, 4),
        ["transfer_variants"] = new JsonArray([.. r.Variants.Select(v => (JsonNode?)new JsonObject
        {
            ["name"] = v.Variant.Name,
            ["head_only_epochs"] = v.Variant.HeadOnlyEpochs,
            ["unfreeze_lr_multiplier"] = v.Variant.UnfreezeLearningRateMultiplier,
            ["validation_accuracy"] = Math.Round(v.ValidationAccuracy, 4),
            ["seconds"] = Math.Round(v.Seconds, 1),
        })]),
        ["transfer_seconds"] = Math.Round(r.TransferSeconds, 1),
        ["scratch_seconds"] = Math.Round(r.ScratchSeconds, 1),
    })]),
    ["threads"] = threads,
    ["load_average_before"] = loadBefore,
    ["load_average_after"] = File.ReadAllText("/proc/loadavg").Trim(),
    ["seed"] = seed,
    ["date_utc"] = DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture),
    ["command"] = "dotnet run -c Release --project experiments/transfer/Transfer -- " + string.Join(' ', args),
};
Directory.CreateDirectory(Path.GetDirectoryName(output)!);
File.WriteAllText(output, result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"recorded in {output}");

static List<TransferVariant> Variants(string text) => [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(item =>
{
    var parts = item.Split(':');
    return parts.Length == 3
        ? new TransferVariant(parts[0], int.Parse(parts[1], CultureInfo.InvariantCulture), double.Parse(parts[2], CultureInfo.InvariantCulture))
        : throw new ArgumentException($"--variants: '{item}' is not name:head-only-epochs:lr-multiplier, e.g. full-rate:1:1");
})];

int Argument(string name, int fallback) => Text(name, null) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

double Number(string name, double fallback) => Text(name, null) is { } value ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;

string? Text(string name, string? fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}
