using System.Text.Json;
using AutoNet.Data;
using AutoNet.Data.Sources;
using AutoNet.Data.Splits;
using AutoNet.Training.Evaluation;

namespace AutoNet.Cli.Tests;

[Collection(PackagedModelCollection.Name)]
public sealed class EvaluateCommandTests(PackagedModelFixture fixture) : IDisposable
{
    private readonly string workspace = Directory.CreateTempSubdirectory("autonet-evaluate-ws-").FullName;

    private static string CliDll => Path.Combine(AppContext.BaseDirectory, "AutoNet.Cli.dll");

    public void Dispose() => Directory.Delete(workspace, recursive: true);

    [Fact]
    public void Evaluate_metrics_equal_classification_metrics_on_predict_s_probabilities_and_the_chart_is_written()
    {
        var before = Snapshot(fixture.Data);
        var output = Path.Join(workspace, "eval");
        var report = EvaluateCommand.Evaluate(Request(fixture.Data, "all", output));

        // The same images through predict (direct decoding, not the cache), labelled by their folder.
        var predicted = PredictCommand.Predict(PredictCommandTests.Request(fixture.Data, fixture.Package, 3));
        var classes = PackagedModelFixture.Classes;
        var labels = predicted.Predictions.Select(p => Array.IndexOf(classes, Path.GetFileName(Path.GetDirectoryName(p.Path)))).ToArray();
        var expected = ClassificationMetrics.Compute(predicted.Probabilities, labels, classes);

        Assert.Equal(24, report.Images);
        Assert.Equal(0, report.Skipped);
        Assert.Equal(expected.Accuracy, report.Accuracy, 12);
        Assert.Equal(expected.MacroF1, report.MacroF1, 12);
        Assert.Equal(expected.ConfusionMatrix, report.ConfusionMatrix);
        Assert.Equal(classes.Length, report.PerClass.Count);
        for (var c = 0; c < classes.Length; c++)
        {
            var (e, a) = (expected.PerClass[c], report.PerClass[c]);
            Assert.Equal(e.Name, a.Name);
            Assert.Equal(e.Support, a.Support);
            Assert.Equal(e.Precision, a.Precision, 12);
            Assert.Equal(e.Recall, a.Recall, 12);
            Assert.Equal(e.F1, a.F1, 12);
            Assert.Equal(e.RocAuc!.Value, a.RocAuc!.Value, 6);
            Assert.Equal(e.PrAuc!.Value, a.PrAuc!.Value, 6);
        }

        Assert.Equal(expected.Thresholds.Select(t => (t.Threshold, t.Predictions)), report.Thresholds.Select(t => (t.Threshold, t.Predictions)));
        Assert.Equal(
            expected.ConfidentMistakes.Select(m => (predicted.Predictions[m.Index].Path, classes[m.TrueLabel], classes[m.PredictedLabel])).Order(),
            report.ConfidentMistakes.Select(m => (m.Path, m.TrueClass, m.PredictedClass)).Order());
        Assert.Equal(expected.ConfidentMistakes.Select(m => Math.Round(m.Confidence, 5)).Order(), report.ConfidentMistakes.Select(m => Math.Round(m.Confidence, 5)).Order());

        Assert.Equal(Path.Join(output, EvaluateCommand.ChartFile), report.ChartFile);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(report.ChartFile)[..4]);
        using var metrics = JsonDocument.Parse(File.ReadAllText(report.MetricsFile));
        Assert.Equal(report.Accuracy, metrics.RootElement.GetProperty("accuracy").GetDouble());
        Assert.Equal(["evaluation.png", "metrics.json"], Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(before, Snapshot(fixture.Data));
    }

    [Fact]
    public void The_test_split_is_the_stratified_split_s_test_part()
    {
        var split = new StratifiedSplitter(SplitFractions.Default, 3).Split(DataSetSources.Open(fixture.Data));
        var report = EvaluateCommand.Evaluate(Request(fixture.Data, "test", null) with { Seed = 3 });
        Assert.Equal(split.Count(SplitPart.Test), report.Images);
        var balance = split.Balance(SplitPart.Test);
        Assert.Equal(balance.ClassNames.Zip(balance.Counts).OrderBy(p => p.First, StringComparer.Ordinal),
            report.PerClass.Select(c => (c.Name, c.Support)).OrderBy(p => p.Name, StringComparer.Ordinal));
        Assert.StartsWith(Path.Join(workspace, "evaluations"), report.OutputFolder);
        Assert.True(File.Exists(report.ChartFile));
    }

    [Fact]
    public void A_package_scores_every_image_of_a_folder_by_default_and_says_how_many()
    {
        var count = PackagedModelFixture.PerClass * PackagedModelFixture.Classes.Length;
        var report = EvaluateCommand.Evaluate(Request(fixture.Data, null, Path.Join(workspace, "default")));
        Assert.Equal(count, report.Images);
        Assert.Equal(count, report.DataImages);
        Assert.Equal("all", report.Split);
        Assert.Equal($"every image of the data ({count} images)", report.Selection);
        Assert.False(report.FlipAveraged);
        Assert.Equal(count, report.PerClass.Sum(c => c.Support));
        using (var metrics = JsonDocument.Parse(File.ReadAllText(report.MetricsFile)))
        {
            Assert.Equal(count, metrics.RootElement.GetProperty("images").GetInt32());
            Assert.Equal(count, metrics.RootElement.GetProperty("dataImages").GetInt32());
            Assert.Equal(report.Selection, metrics.RootElement.GetProperty("selection").GetString());
        }

        // The command line says it too, in words and in --json.
        var (exitCode, stdout, stderr) = ProcessRunner.Run("dotnet",
            [CliDll, "evaluate", fixture.Package, "--data", fixture.Data, "--workspace", workspace, "--threads", "1", "--out", Path.Join(workspace, "cli")]);
        Assert.True(exitCode == 0, stderr + stdout);
        Assert.Contains($"scored {count} images: every image of the data ({count} images); 0 skipped",
            System.Text.RegularExpressions.Regex.Replace(stdout, @"\s+", " "), StringComparison.Ordinal);
        (exitCode, stdout, stderr) = ProcessRunner.Run("dotnet",
            [CliDll, "evaluate", fixture.Package, "--data", fixture.Data, "--workspace", workspace, "--threads", "1", "--out", Path.Join(workspace, "json"), "--json"]);
        Assert.True(exitCode == 0, stderr + stdout);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(count, json.RootElement.GetProperty("images").GetInt32());
        Assert.Equal("all", json.RootElement.GetProperty("split").GetString());
    }

    [Fact]
    public void A_folder_with_its_own_test_part_is_scored_on_it_by_default_and_whole_with_split_all()
    {
        var folder = Path.Join(workspace, "..", Path.GetFileName(workspace) + "-parts");
        try
        {
            foreach (var name in PackagedModelFixture.Classes)
            {
                var files = Directory.GetFiles(Path.Join(fixture.Data, name)).Order(StringComparer.Ordinal).ToArray();
                foreach (var (file, i) in files.Select((f, i) => (f, i)))
                {
                    var part = i < 2 ? "test" : "train";
                    Directory.CreateDirectory(Path.Join(folder, part, name));
                    File.Copy(file, Path.Join(folder, part, name, Path.GetFileName(file)));
                }
            }

            var total = PackagedModelFixture.PerClass * PackagedModelFixture.Classes.Length;
            var given = EvaluateCommand.Evaluate(Request(folder, null, Path.Join(workspace, "given")));
            Assert.Equal(2 * PackagedModelFixture.Classes.Length, given.Images);
            Assert.Equal(total, given.DataImages);
            Assert.Equal("test", given.Split);
            Assert.Equal($"the test part the data gives (6 of its {total} images; --split all for every image)", given.Selection);

            var all = EvaluateCommand.Evaluate(Request(folder, "all", Path.Join(workspace, "all")));
            Assert.Equal(total, all.Images);
            var train = EvaluateCommand.Evaluate(Request(folder, "train", Path.Join(workspace, "train")));
            Assert.Contains("the train part of a stratified split, seed 0, of the images the data does not assign itself", train.Selection);
            var validation = EvaluateCommand.Evaluate(Request(folder, "validation", Path.Join(workspace, "validation")));
            Assert.Equal(total - given.Images, train.Images + validation.Images);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Data_whose_classes_differ_from_the_model_s_is_refused_listing_the_difference_and_nothing_is_written()
    {
        var other = Path.Join(workspace, "..", Path.GetFileName(workspace) + "-other");
        try
        {
            foreach (var name in new[] { "Trouser", "Dress" })
            {
                Directory.CreateDirectory(Path.Join(other, name));
                File.Copy(Directory.GetFiles(Path.Join(fixture.Data, "Trouser"))[0], Path.Join(other, name, "x.png"));
            }

            var error = Assert.Throws<DataSetException>(() => EvaluateCommand.Evaluate(Request(other, "all", null)));
            Assert.Contains("only in the data: [Dress]", error.Message);
            Assert.Contains("only in the model: [Bag, Sneaker]", error.Message);
        }
        finally
        {
            Directory.Delete(other, recursive: true);
        }

        var fashion = Assert.Throws<DataSetException>(() => EvaluateCommand.Evaluate(Request(BuiltInDataSets.FashionMnistName, "test", null)));
        Assert.Contains("only in the data: [T-shirt/top, Pullover, Dress, Coat, Sandal, Shirt, Ankle boot]; only in the model: []", fashion.Message);

        var unknown = Assert.Throws<DataSetException>(() => EvaluateCommand.Evaluate(Request(Path.Join(workspace, "no-such-data"), "test", null)));
        Assert.Contains("neither an image folder", unknown.Message);
        var inside = Assert.Throws<DataSetException>(() => EvaluateCommand.Evaluate(Request(fixture.Data, "test", Path.Join(fixture.Data, "out"))));
        Assert.Contains("never writes into", inside.Message);
        Assert.Contains("--split must be one of all, train, validation, test, got 'holdout'",
            Assert.Throws<CliException>(() => EvaluateCommand.Evaluate(Request(fixture.Data, "holdout", null))).Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(workspace));
    }

    [Fact]
    public void The_cli_process_summarises_an_evaluation_and_exits_non_zero_with_a_clear_error_for_an_unknown_data_folder()
    {
        var missing = Path.Join(workspace, "missing-data");
        var (exitCode, stdout, stderr) = ProcessRunner.Run("dotnet",
            [CliDll, "evaluate", fixture.Package, "--data", missing, "--workspace", workspace, "--threads", "1"]);
        Assert.Equal(1, exitCode);
        Assert.Contains($"error: '{missing}' is neither an image folder", stderr);
        Assert.Empty(stdout);
        Assert.Empty(Directory.EnumerateFileSystemEntries(workspace));

        (exitCode, stdout, stderr) = ProcessRunner.Run("dotnet",
            [CliDll, "evaluate", fixture.Package, "--data", fixture.Data, "--split", "all", "--workspace", workspace, "--threads", "1"]);
        Assert.True(exitCode == 0, stderr + stdout);
        var expected = EvaluateCommand.Evaluate(Request(fixture.Data, "all", Path.Join(workspace, "again")));
        Assert.Contains("accuracy", stdout);
        Assert.Contains(expected.Accuracy.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture), stdout);
        Assert.Contains("Sneaker", stdout);
        var evaluations = Directory.GetDirectories(Path.Join(workspace, "evaluations"));
        Assert.Equal([EvaluateCommand.ChartFile, EvaluateCommand.MetricsFile], Directory.GetFiles(Assert.Single(evaluations)).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    private EvaluateCommand.Request Request(string data, string? split, string? output) =>
        new(fixture.Package, data, split, Seed: 0, Json: true, output, workspace, Threads: 1, Device: "cpu");

    private static List<string> Snapshot(string root) => PredictCommandTests.Snapshot(root);
}
