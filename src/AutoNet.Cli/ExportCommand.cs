using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using AutoNet.Data;
using AutoNet.Export.Packaging;
using AutoNet.Store;

namespace AutoNet.Cli;

/// <summary>
/// `autonet export &lt;trial|best&gt; [--experiment name] --out &lt;dir&gt; [--format onnx|safetensors|pytorch|all]`: rebuilds a
/// stored trial's network with its checkpoint's weights and writes a model package (model.json, the model card,
/// and the formats asked for) into a new folder, all or nothing; each written file is recorded as an artifact of the trial.
/// </summary>
public static class ExportCommand
{
    public static readonly string[] Formats = ["onnx", "safetensors", "pytorch", "all"];

    public static Command Create()
    {
        var trial = new Argument<string>("trial") { Description = "The trial number (as the leaderboard shows it) or 'best' (the final training of the winner, else the highest validation accuracy)." };
        var experiment = new Option<string?>("--experiment") { Description = "The experiment (default: the most recent one)." };
        var output = new Option<string>("--out") { Description = "A new (or empty) folder for the package.", Required = true };
        var format = new Option<string>("--format") { Description = "onnx, safetensors, pytorch or all.", DefaultValueFactory = _ => "all" };
        var json = new Option<bool>("--json") { Description = "Write the result as JSON for scripts." };
        var store = StoreArguments.Store();
        var workspace = StoreArguments.Workspace();
        var command = new Command("export", "Export a trial's trained network: ONNX, safetensors + model card, or a standalone PyTorch model.py.")
        {
            trial, experiment, output, format, json, store, workspace,
        };
        command.SetAction((result, cancellationToken) => CliErrors.RunAsync(() => RunAsync(result.GetValue(trial)!, result.GetValue(experiment),
            result.GetValue(output)!, result.GetValue(format)!, result.GetValue(json), StoreArguments.Location(result, store, workspace),
            result.GetValue(workspace)!, cancellationToken)));
        return command;
    }

    public static ModelExportFormats ParseFormat(string format) => format.ToLowerInvariant() switch
    {
        "onnx" => ModelExportFormats.Onnx,
        "safetensors" => ModelExportFormats.Safetensors,
        "pytorch" => ModelExportFormats.PyTorch,
        "all" => ModelExportFormats.All,
        _ => throw new CliException($"--format '{format}': expected one of {string.Join(", ", Formats)}"),
    };

    private static async Task<int> RunAsync(string reference, string? experimentName, string output, string format, bool json, string location, string workspace,
        CancellationToken cancellationToken)
    {
        var formats = ParseFormat(format);
        var destination = Path.GetFullPath(output);
        if (File.Exists(destination) || (Directory.Exists(destination) && Directory.EnumerateFileSystemEntries(destination).Any()))
        {
            throw new CliException($"--out {destination} already exists and is not an empty folder; choose a new one (nothing was written)");
        }

        await using var store = await CliStore.OpenExistingAsync(location, cancellationToken).ConfigureAwait(false);
        var experiment = await StoredTrialModel.ExperimentAsync(store, experimentName, cancellationToken).ConfigureAwait(false);
        WorkspaceGuard.EnsureOutside(destination, experiment.DataSource);
        using var trial = await StoredTrialModel.OpenAsync(store, experiment.Name, reference, workspace, cancellationToken).ConfigureAwait(false);
        var card = await TrialModelCard.CreateAsync(store, trial, cancellationToken).ConfigureAwait(false);
        try
        {
            ModelPackage.Write(destination, trial.Model, new ModelPackageOptions
            {
                Preprocessing = trial.Preprocessing,
                ClassNames = trial.ClassNames,
                Card = card,
                Formats = formats,
            });
        }
        catch (Exception e) when (e is ModelPackageException or NotSupportedException)
        {
            throw new CliException($"cannot export trial {trial.Trial.Number} of '{trial.Experiment.Name}': {e.Message} (nothing was written)");
        }

        var files = Directory.EnumerateFiles(destination).Order(StringComparer.Ordinal).ToList();
        foreach (var file in files)
        {
            await store.AddArtifactAsync(trial.Trial.Id, new NewArtifact(KindOf(file), file, new FileInfo(file).Length, Sha256(file)), cancellationToken)
                .ConfigureAwait(false);
        }

        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new
            {
                experiment = trial.Experiment.Name,
                trial = trial.Trial.Number,
                output = destination,
                format = format.ToLowerInvariant(),
                files = files.Select(Path.GetFileName).ToArray(),
                validationAccuracy = trial.Trial.BestValidationAccuracy,
                testAccuracy = Metric(card, ModelCard.TestAccuracyMetric),
                testAccuracyFlipAveraged = Metric(card, ModelCard.FlipAveragedTestAccuracyMetric),
            }, CliJson.Options));
        }
        else
        {
            Console.Out.WriteLine($"exported trial {trial.Trial.Number} of '{trial.Experiment.Name}' to {destination}: {string.Join(", ", files.Select(Path.GetFileName))}");
            Console.Out.WriteLine($"next: autonet predict {destination} <image|folder>");
        }

        return 0;
    }

    private static double? Metric(ModelCard card, string name) => card.Metrics is { } metrics && metrics.TryGetValue(name, out var value) ? value : null;

    private static ArtifactKind KindOf(string file) => Path.GetFileName(file) switch
    {
        ModelPackage.OnnxFile => ArtifactKind.Onnx,
        ModelPackage.WeightsFile => ArtifactKind.Safetensors,
        ModelPackage.PyTorchFile => ArtifactKind.PyTorch,
        ModelPackage.CardFile => ArtifactKind.ModelCard,
        _ => ArtifactKind.Other,
    };

    private static string Sha256(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
