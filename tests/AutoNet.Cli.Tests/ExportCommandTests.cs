using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using AutoNet.Cli.Prediction;
using AutoNet.Data.Augmentation;
using AutoNet.Data.Splits;
using AutoNet.Export.Packaging;
using AutoNet.Export.Tests.Onnx;
using AutoNet.Scheduling.Experiments;
using AutoNet.Store;
using AutoNet.Torch.Safetensors;

using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Cli.Tests;

/// <summary>
/// `autonet export &lt;trial|best&gt;` and `autonet evaluate &lt;trial|best&gt;` on a real two-trial search. The reference for
/// the exported weights, preprocessing and class order is what the search itself wrote while training: each trial's
/// test-split probabilities (test-predictions.safetensors) and its stored test accuracy.
/// </summary>
public sealed class ExportCommandTests(TinySearchFixture search) : IClassFixture<TinySearchFixture>
{
    [Fact]
    public async Task Export_best_writes_a_package_whose_probabilities_are_the_ones_the_search_recorded_for_the_trial()
    {
        var (output, result) = ExportBest("best-all", "all");
        using var disposeResult = result;

        await using var store = await ExperimentStore.OpenAsync(search.StorePath);
        var experiment = (await store.GetExperimentAsync(TinySearchFixture.Experiment))!;
        var trials = await store.ListTrialsAsync(experiment.Id, TrialState.Completed);
        var best = trials.OrderByDescending(t => t.BestValidationAccuracy).ThenBy(t => t.Number).First();
        Assert.Equal(best.Number, result.RootElement.GetProperty("trial").GetInt64());
        Assert.Equal(
            [ModelPackage.CardFile, ModelPackage.DescriptionFile, ModelPackage.OnnxFile, ModelPackage.PyTorchFile, ModelPackage.WeightsFile],
            Directory.EnumerateFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        torch.set_num_threads(2);
        using var package = ModelPackage.Load(output);
        var card = package.Description.Card!;
        Assert.Equal(TinySearchFixture.Experiment, card.Experiment);
        Assert.Equal(best.TestAccuracy, card.Metrics![ModelCard.FlipAveragedTestAccuracyMetric]);
        Assert.Equal(best.BestValidationAccuracy, card.Metrics!["validation_accuracy"]);
        Assert.Equal("macro-cnn-tiny", card.Search!.SearchSpace);
        Assert.Equal(2, card.Search.TrialsCompleted);
        Assert.Contains(TinySearchFixture.Experiment, File.ReadAllText(Path.Join(output, ModelPackage.CardFile)), StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"class{i}"), package.ClassNames);

        // The search's cache of the test split, and the probabilities the trainer recorded on it (with its test-time
        // flip when the recipe asks for it, as it does here: flips are allowed on this data).
        var data = ExperimentData.For(experiment, search.Workspace);
        using var cache = data.Cache(package.Preprocessing.Height).Images(SplitPart.Test);
        var trialFolder = TrialRequestFactory.TrialDirectory(search.Workspace, experiment.Name, best.Number);
        using var recorded = SafetensorsFile.Read(Path.Join(trialFolder, "test-predictions.safetensors"));
        var expected = recorded.Tensors["probabilities"].data<float>().ToArray();
        var reader = new PackageImageReader(package.Preprocessing);
        package.Model.eval();
        float[] actual;
        using (torch.no_grad())
        using (var scope = torch.NewDisposeScope())
        {
            actual = TestTimeAugmentation.FlipAverage(package.Model.forward, reader.Normalize(cache)).contiguous().data<float>().ToArray();
        }

        Assert.Equal(expected.Length, actual.Length);
        Assert.All(expected.Zip(actual), pair => Assert.True(Math.Abs(pair.First - pair.Second) < 1e-5, $"{pair.First} vs {pair.Second}"));

        // Every file of the package is recorded as an artifact of the trial.
        var artifacts = await store.ListArtifactsAsync(best.Id);
        foreach (var file in Directory.EnumerateFiles(output))
        {
            var artifact = Assert.Single(artifacts, a => a.Path == file);
            Assert.Equal(new FileInfo(file).Length, artifact.SizeBytes);
        }

        Assert.Contains(artifacts, a => a.Kind == ArtifactKind.Onnx);

        // The package is what `autonet predict` takes.
        var predict = ProcessRunner.Run("dotnet", [TinySearchFixture.CliDll, "predict", output, Path.Join(search.Data, "class3"), "--json"], 120);
        Assert.True(predict.ExitCode == 0, predict.Stderr);
        using var predictions = JsonDocument.Parse(predict.Stdout);
        Assert.Equal(output, predictions.RootElement.GetProperty("model").GetString());
    }

    [Fact]
    public async Task The_card_s_test_accuracy_is_what_the_package_scores_on_the_experiment_s_test_images()
    {
        var (output, result) = ExportBest("card-vs-package", "safetensors");
        using var disposeResult = result;
        var card = ModelPackage.ReadDescription(output).Card!;

        // The experiment's test images, copied into a labelled folder of their own.
        await using var store = await ExperimentStore.OpenAsync(search.StorePath);
        var experiment = (await store.GetExperimentAsync(TinySearchFixture.Experiment))!;
        var data = ExperimentData.For(experiment, search.Workspace);
        var tests = data.Listing.Samples.Where(s => data.Split.Assignments.TryGetValue(s.Key, out var part) && part == SplitPart.Test).ToList();
        var holdout = Path.Join(search.Root, "test-images");
        foreach (var (sample, i) in tests.Select((s, i) => (s, i)))
        {
            var folder = Directory.CreateDirectory(Path.Join(holdout, data.Listing.ClassNames[sample.Label])).FullName;
            File.Copy(sample.Path, Path.Join(folder, $"{i:D4}-{Path.GetFileName(sample.Path)}"));
        }

        var report = EvaluateCommand.Evaluate(new EvaluateCommand.Request(output, holdout, null, 0, Json: true, Path.Join(search.Root, "card-vs-package-evaluation"),
            search.Workspace, Threads: 1, Device: "cpu"));
        Assert.Equal(tests.Count, report.Images);
        Assert.Equal(tests.Count, card.Metrics![ModelCard.TestImagesMetric]);
        Assert.Equal(card.Metrics[ModelCard.TestAccuracyMetric], report.Accuracy);
        Assert.Equal(report.Accuracy, result.RootElement.GetProperty("testAccuracy").GetDouble());

        // The search's own figure (flip-averaged: flips are allowed on this data) is kept beside it under its own name.
        var best = (await store.ListTrialsAsync(experiment.Id, TrialState.Completed)).OrderByDescending(t => t.BestValidationAccuracy).ThenBy(t => t.Number).First();
        Assert.Equal(best.TestAccuracy, card.Metrics[ModelCard.FlipAveragedTestAccuracyMetric]);
        var readme = File.ReadAllText(Path.Join(output, ModelPackage.CardFile));
        Assert.Contains("- `test_accuracy` is what this package computes on the test images, one view per image", readme, StringComparison.Ordinal);
        Assert.Contains("images of another size: resize (bilinear, antialiased, rounded to uint8) so the image covers", readme, StringComparison.Ordinal);
        var recorded = JsonNode.Parse(File.ReadAllText(Path.Join(output, ModelPackage.DescriptionFile)))!["input"]!["fit"]!.GetValue<string>();
        Assert.Equal("center_crop", recorded);
    }

    [Fact]
    public async Task The_exported_trial_gives_the_same_probabilities_in_ONNX_Runtime_and_in_its_PyTorch_model_py()
    {
        var output = Path.Join(search.Root, "peers");
        var (exitCode, stdout, stderr) = search.Cli(300, "export", "2", "--out", output, "--format", "all");
        Assert.True(exitCode == 0, stderr + stdout);
        await using (var store = await ExperimentStore.OpenAsync(search.StorePath))
        {
            var experiment = (await store.GetExperimentAsync(TinySearchFixture.Experiment))!;
            using var package = ModelPackage.Load(output);
            using var all = ExperimentData.For(experiment, search.Workspace).Cache(package.Preprocessing.Height).Images(SplitPart.Test);
            const int count = 16;
            var shape = new JsonArray(count, 1, package.Preprocessing.Height, package.Preprocessing.Width);
            float[] inputs;
            float[] ours;
            package.Model.eval();
            using (torch.no_grad())
            using (var scope = torch.NewDisposeScope())
            {
                var normalized = new PackageImageReader(package.Preprocessing).Normalize(all.narrow(0, 0, count)).contiguous();
                inputs = normalized.data<float>().ToArray();
                ours = nn.functional.softmax(package.Model.forward(normalized), 1).contiguous().data<float>().ToArray();
            }

            var work = Path.Join(search.Root, "peers-work");
            Directory.CreateDirectory(work);
            var inputFile = Path.Join(work, "input.f32");
            File.WriteAllBytes(inputFile, MemoryMarshal.AsBytes(inputs.AsSpan()).ToArray());
            var onnx = Path.Join(output, ModelPackage.OnnxFile);
            var check = OnnxPeers.CheckModels([onnx])[0]!;
            Assert.True(check["ok"]!.GetValue<bool>(), check["error"]?.ToString());
            var ort = OnnxPeers.RunOnnxRuntime(new JsonObject
            {
                ["runs"] = new JsonArray(new JsonObject
                {
                    ["model"] = onnx,
                    ["input"] = "input",
                    ["batches"] = new JsonArray(new JsonObject { ["file"] = inputFile, ["shape"] = shape.DeepClone() }),
                    ["output_prefix"] = Path.Join(work, "ort"),
                }),
            }, work);
            PredictCommandTests.AssertClose(ours, PredictCommandTests.ReadFloats(ort["results"]![0]!["batches"]![0]!["probabilities"]!["file"]!.GetValue<string>()), 1e-4);

            var request = new JsonObject
            {
                ["runs"] = new JsonArray(new JsonObject
                {
                    ["package"] = output,
                    ["input"] = inputFile,
                    ["shape"] = shape.DeepClone(),
                    ["output_prefix"] = Path.Join(work, "py"),
                }),
            };
            var (code, pyOut, pyErr) = OnnxPeers.RunProcess(OnnxPeers.Python, [Path.Combine(AppContext.BaseDirectory, "run_model_py.py")], request.ToJsonString());
            Assert.True(code == 0, pyErr);
            var outputs = JsonNode.Parse(pyOut)!["results"]![0]!["outputs"]!;
            PredictCommandTests.AssertClose(ours, PredictCommandTests.ReadFloats(outputs["probabilities"]!["file"]!.GetValue<string>()), 1e-4);
        }
    }

    [Fact]
    public async Task Evaluate_best_reports_the_test_accuracy_the_search_stored_and_writes_the_report_files()
    {
        var output = Path.Join(search.Root, "evaluation-best");
        var (exitCode, stdout, stderr) = search.Cli(300, "evaluate", "best", "--experiment", TinySearchFixture.Experiment, "--out", output, "--json");
        Assert.True(exitCode == 0, stderr + stdout);
        using var report = JsonDocument.Parse(stdout);

        await using var store = await ExperimentStore.OpenAsync(search.StorePath);
        var experiment = (await store.GetExperimentAsync(TinySearchFixture.Experiment))!;
        var best = (await store.ListTrialsAsync(experiment.Id, TrialState.Completed)).OrderByDescending(t => t.BestValidationAccuracy).ThenBy(t => t.Number).First();
        Assert.Equal(best.TestAccuracy!.Value, report.RootElement.GetProperty("accuracy").GetDouble(), 1e-6);
        Assert.Equal(ExperimentData.For(experiment, search.Workspace).Split.Count(SplitPart.Test), report.RootElement.GetProperty("images").GetInt32());
        Assert.True(File.Exists(Path.Join(output, EvaluateCommand.MetricsFile)));
        Assert.True(File.Exists(Path.Join(output, EvaluateCommand.ChartFile)));

        // A trial named by number works the same way.
        var other = (await store.ListTrialsAsync(experiment.Id, TrialState.Completed)).First(t => t.Id != best.Id);
        var byNumber = search.Cli(300, "evaluate", other.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", Path.Join(search.Root, "evaluation-other"), "--json");
        Assert.True(byNumber.ExitCode == 0, byNumber.Stderr);
        using var otherReport = JsonDocument.Parse(byNumber.Stdout);
        Assert.Equal(other.TestAccuracy!.Value, otherReport.RootElement.GetProperty("accuracy").GetDouble(), 1e-6);
    }

    [Fact]
    public async Task Export_refuses_a_non_empty_folder_an_unknown_trial_or_experiment_and_a_trial_without_checkpoint_writing_nothing()
    {
        var occupied = Path.Join(search.Root, "occupied");
        Directory.CreateDirectory(occupied);
        File.WriteAllText(Path.Join(occupied, "notes.txt"), "mine");
        var overFolder = search.Cli(120, "export", "best", "--out", occupied);
        Assert.Equal(1, overFolder.ExitCode);
        Assert.Contains("already exists and is not an empty folder", overFolder.Stderr, StringComparison.Ordinal);
        Assert.Equal(["notes.txt"], Directory.EnumerateFileSystemEntries(occupied).Select(Path.GetFileName));

        var fresh = Path.Join(search.Root, "never-written");
        var unknownTrial = search.Cli(120, "export", "99", "--out", fresh);
        Assert.Equal(1, unknownTrial.ExitCode);
        Assert.Contains("has no trial 99", unknownTrial.Stderr, StringComparison.Ordinal);

        var unknownExperiment = search.Cli(120, "export", "best", "--experiment", "nope", "--out", fresh);
        Assert.Equal(1, unknownExperiment.ExitCode);
        Assert.Contains("no experiment 'nope'", unknownExperiment.Stderr, StringComparison.Ordinal);

        var badFormat = search.Cli(120, "export", "best", "--format", "tflite", "--out", fresh);
        Assert.Equal(1, badFormat.ExitCode);
        Assert.Contains("--format 'tflite'", badFormat.Stderr, StringComparison.Ordinal);

        // A trial that was added but never trained has no checkpoint to export.
        long number;
        await using (var store = await ExperimentStore.OpenAsync(search.StorePath))
        {
            var experiment = (await store.GetExperimentAsync(TinySearchFixture.Experiment))!;
            var trained = (await store.ListTrialsAsync(experiment.Id))[0];
            number = (await store.AddTrialAsync(experiment.Id, new NewTrial(trained.GenotypeJson, trained.GenotypeHash, trained.HyperparametersJson))).Number;
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var untrained = search.Cli(120, "export", number.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", fresh);
        Assert.Equal(1, untrained.ExitCode);
        Assert.Contains("has no checkpoint", untrained.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(fresh));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(search.Root), p => Path.GetFileName(p).StartsWith(".never-written", StringComparison.Ordinal));
    }

    [Fact]
    public void Export_of_one_format_writes_only_that_format_with_the_description_and_card()
    {
        var output = Path.Join(search.Root, "onnx-only");
        var (exitCode, stdout, stderr) = search.Cli(300, "export", "best", "--experiment", TinySearchFixture.Experiment, "--out", output, "--format", "onnx");
        Assert.True(exitCode == 0, stderr + stdout);
        Assert.Equal([ModelPackage.CardFile, ModelPackage.DescriptionFile, ModelPackage.OnnxFile],
            Directory.EnumerateFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    /// <summary>`autonet export best --json` into a new folder under the fixture's root: the folder and the JSON it printed.</summary>
    private (string Output, JsonDocument Result) ExportBest(string folder, string format)
    {
        var output = Path.Join(search.Root, folder);
        var (exitCode, stdout, stderr) = search.Cli(300, "export", "best", "--out", output, "--format", format, "--json");
        Assert.True(exitCode == 0, stderr + stdout);
        return (output, JsonDocument.Parse(stdout));
    }
}
