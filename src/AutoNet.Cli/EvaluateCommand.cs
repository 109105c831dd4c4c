using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AutoNet.Cli.Prediction;
using AutoNet.Cli.Reports;
using AutoNet.Data;
using AutoNet.Data.Cache;
using AutoNet.Data.Sources;
using AutoNet.Data.Splits;
using AutoNet.Export.Packaging;
using Spectre.Console;
using TorchSharp;

namespace AutoNet.Cli;

/// <summary>
/// `autonet evaluate &lt;model-dir&gt; --data &lt;labelled folder|manifest.csv|fashion-mnist&gt;`, or
/// `autonet evaluate &lt;trial|best&gt; [--experiment name]` (a stored trial on its experiment's test split): accuracy, per-class
/// precision/recall/F1, confusion matrix, ROC and PR AUC per class, precision/recall at confidence thresholds and the
/// most confidently wrong images; writes metrics.json and evaluation.png into --out (default: a new folder under the
/// workspace), never into the data folder. The images go through the workspace's decoded cache, as in training. A
/// package scores every image of the data unless --split names a part or the data names its own test part
/// (<see cref="EvaluationScope"/>), and the report says how many images it scored and which.
/// </summary>
public static class EvaluateCommand
{
    public const string MetricsFile = "metrics.json";
    public const string ChartFile = "evaluation.png";

    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "A model package folder (autonet export), or a stored trial: its number or 'best'." };
        var data = new Option<string?>("--data") { Description = "For a model package: a labelled image folder, a CSV manifest, or a built-in data set (fashion-mnist)." };
        var experiment = new Option<string?>("--experiment") { Description = "For a trial: its experiment (default: the most recent one)." };
        var store = StoreArguments.Store();
        var split = new Option<string?>("--split")
        {
            Description = "For a model package: which images, all, train, validation or test (a part the data gives, else of a stratified 80/10/10 split). " +
                "Default: every image, or the data's own test part when it has one (a test/ folder, a manifest's split column, fashion-mnist's test set).",
        };
        var seed = new Option<int>("--seed") { Description = "Seed of the stratified split for --split train|validation|test when the data gives none.", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "Write the metrics as JSON for scripts." };
        var output = new Option<string?>("--out") { Description = "Folder for metrics.json and evaluation.png (default: <workspace>/evaluations/<model>-<time>)." };
        var workspace = new Option<string>("--workspace") { Description = "Folder for the decoded cache and default outputs.", DefaultValueFactory = _ => DataInspectCommand.DefaultWorkspace };
        var threads = new Option<int?>("--threads") { Description = "Decoder and CPU threads (default: all cores)." };
        var device = new Option<string>("--device") { Description = "Where the model runs: cpu or cuda[:N].", DefaultValueFactory = _ => "cpu" };
        var command = new Command("evaluate", "Evaluate a model package on labelled images, or a stored trial on its experiment's test split: metrics, confusion matrix, PR curves, confident mistakes.")
        {
            model, data, split, seed, json, output, workspace, threads, device, experiment, store,
        };
        command.SetAction((result, cancellationToken) =>
        {
            var target = result.GetValue(model)!;
            if (StoredTrialModel.IsTrialReference(target))
            {
                var trial = new TrialRequest(target, result.GetValue(experiment), StoreArguments.Location(result, store, workspace), result.GetValue(json),
                    result.GetValue(output), result.GetValue(workspace)!, result.GetValue(threads), result.GetValue(device)!);
                return CliErrors.RunAsync(async () =>
                {
                    Print(await EvaluateTrialAsync(trial, cancellationToken).ConfigureAwait(false), trial.Json);
                    return 0;
                });
            }

            if (result.GetValue(data) is not { } folder)
            {
                Console.Error.WriteLine($"error: '{target}' is not a stored trial (a number or 'best'), so it is read as a model package folder, which needs --data <labelled images>");
                return Task.FromResult(CliErrors.Failure);
            }

            return Task.FromResult(Run(
                new Request(target, folder, result.GetValue(split)!, result.GetValue(seed), result.GetValue(json),
                    result.GetValue(output), result.GetValue(workspace)!, result.GetValue(threads), result.GetValue(device)!),
                cancellationToken));
        });
        return command;
    }

    /// <summary>
    /// Rebuilds a stored trial's network from its checkpoint and evaluates it on its experiment's test split, read from
    /// the experiment's decoded cache and scored as the search scored it (test-time flip included when it applied).
    /// </summary>
    public static async Task<EvaluationReport> EvaluateTrialAsync(TrialRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Threads is < 1)
        {
            throw new CliException($"--threads must be at least 1, got {request.Threads}");
        }

        var device = PredictCommand.ParseDevice(request.Device);
        torch.set_num_threads(request.Threads ?? Environment.ProcessorCount);
        await using var store = await CliStore.OpenExistingAsync(request.Store, cancellationToken).ConfigureAwait(false);
        var experiment = await StoredTrialModel.ExperimentAsync(store, request.Experiment, cancellationToken).ConfigureAwait(false);
        var evaluations = Path.Join(Path.GetFullPath(request.Workspace), "evaluations");
        WorkspaceGuard.EnsureOutside(request.Output ?? evaluations, experiment.DataSource);
        using var trial = await StoredTrialModel.OpenAsync(store, experiment.Name, request.Trial, request.Workspace, cancellationToken).ConfigureAwait(false);
        var name = $"{trial.Experiment.Name}-trial{trial.Trial.Number}";
        var output = Path.GetFullPath(request.Output ?? Path.Join(evaluations,
            $"{name}-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{Guid.NewGuid().ToString("N")[..6]}"));
        CheckOutput(output);
        var (pixels, labels, paths) = trial.TestSplit();
        trial.Model.to(device);
        using var flipped = trial.TestTimeFlip ? new FlipAveragedClassifier(trial.Model) : null;
        var evaluation = Evaluator.Evaluate(flipped ?? trial.Model, new PackageImageReader(trial.Preprocessing), trial.ClassNames, pixels, labels, paths, device,
            cancellationToken: cancellationToken);
        var selection = string.Create(CultureInfo.InvariantCulture,
            $"the test split of experiment '{trial.Experiment.Name}' ({labels.Length} of the data's {trial.Data.Listing.Samples.Count} images, stratified, seed {trial.Data.Split.Seed})")
            + (trial.TestTimeFlip ? ", each image averaged with its mirror as the search scored it" : string.Empty);
        var report = Report($"{trial.Experiment.Name} trial {trial.Trial.Number}", trial.Experiment.DataSource, new EvaluationScope("test", [SplitPart.Test], selection),
            trial.Data.Listing.Samples.Count, 0, trial.TestTimeFlip, evaluation, trial.ClassNames, output);
        WriteAtomically(output, report, evaluation);
        return report;
    }

    private static int Run(Request request, CancellationToken cancellationToken)
    {
        try
        {
            Print(Evaluate(request, cancellationToken), request.Json);
            return 0;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled");
            return CliErrors.Interrupted;
        }
        catch (Exception e)
        {
            return CliErrors.Report(e, Console.Error, Path.GetTempPath());
        }
    }

    /// <summary>Checks everything before writing anything, evaluates, then writes metrics.json and the chart.</summary>
    public static EvaluationReport Evaluate(Request request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Threads is < 1)
        {
            throw new CliException($"--threads must be at least 1, got {request.Threads}");
        }

        var device = PredictCommand.ParseDevice(request.Device);
        var description = ModelPackage.ReadDescription(request.ModelDir);
        var listing = DataSetSources.Open(request.Data);
        EvaluationData.MapClasses(listing.ClassNames, description.ClassNames, listing.Source);
        var scope = EvaluationScope.Resolve(request.Split, listing, SplitFractions.Default, request.Seed);
        var workspace = Path.GetFullPath(request.Workspace);
        var modelName = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(request.ModelDir)));
        var output = Path.GetFullPath(request.Output ?? Path.Join(workspace, "evaluations",
            $"{modelName}-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{Guid.NewGuid().ToString("N")[..6]}"));
        WorkspaceGuard.EnsureOutside(output, listing.Source);
        WorkspaceGuard.EnsureOutside(DecodedCache.CacheRoot(workspace), listing.Source);
        CheckOutput(output);

        var split = new StratifiedSplitter(SplitFractions.Default, request.Seed).Split(listing);
        var threads = request.Threads ?? Environment.ProcessorCount;
        torch.set_num_threads(threads);
        using var package = ModelPackage.Load(request.ModelDir, device);
        var reader = new PackageImageReader(package.Preprocessing);
        using var data = EvaluationData.Load(workspace, listing, split, scope.Parts, package.Preprocessing, package.ClassNames, threads, null, cancellationToken);
        var evaluation = Evaluator.Evaluate(package.Model, reader, package.ClassNames, data.Pixels, data.Labels, data.Paths, device,
            cancellationToken: cancellationToken);
        var report = Report(package.Directory, listing.Source, scope, listing.Samples.Count, data.Skipped, false, evaluation, package.ClassNames, output);
        WriteAtomically(output, report, evaluation);
        return report;
    }

    private static void CheckOutput(string output)
    {
        if (File.Exists(output) || (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any()))
        {
            throw new CliException($"--out {output} already exists and is not an empty folder; choose a new one (nothing was written)");
        }
    }

    private static EvaluationReport Report(string model, string data, EvaluationScope scope, int dataImages, int skipped, bool flipAveraged, Evaluation evaluation,
        IReadOnlyList<string> classNames, string output)
    {
        var metrics = evaluation.Metrics;
        return new EvaluationReport(model, data, scope.Split, scope.Description, metrics.Count, dataImages, skipped, flipAveraged,
            metrics.Accuracy, metrics.Top5Accuracy, metrics.MacroPrecision, metrics.MacroRecall, metrics.MacroF1, metrics.WeightedF1,
            metrics.PerClass, classNames, metrics.ConfusionMatrix, metrics.Thresholds,
            metrics.ConfidentMistakes.Select(m => new EvaluationMistake(evaluation.Paths[m.Index], classNames[m.TrueLabel],
                classNames[m.PredictedLabel], m.Confidence)).ToArray(),
            output, Path.Join(output, MetricsFile), Path.Join(output, ChartFile));
    }

    private static void WriteAtomically(string output, EvaluationReport report, Evaluation evaluation)
    {
        var metrics = evaluation.Metrics;

        // Both files are made in a sibling temporary folder and moved into place together: all or nothing.
        var parent = Path.GetDirectoryName(output) ?? throw new CliException($"--out {output}: cannot write to a file system root");
        Directory.CreateDirectory(parent);
        var temporary = Path.Join(parent, $".{Path.GetFileName(output)}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(temporary);
        try
        {
            File.WriteAllText(Path.Join(temporary, MetricsFile), JsonSerializer.Serialize(report, CliJson.Options));
            EvaluationChart.Write(Path.Join(temporary, ChartFile), metrics.ConfusionMatrix, Evaluator.Curves(evaluation), evaluation.ClassNames);
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: false);
            }

            Directory.Move(temporary, output);
        }
        finally
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }
        }
    }

    private static void Print(EvaluationReport report, bool json)
    {
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(report, CliJson.Options));
        }
        else
        {
            WriteSummary(report);
        }
    }

    private static void WriteSummary(EvaluationReport report)
    {
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(report.Model)}[/] on {Markup.Escape(report.Data)}");
        AnsiConsole.MarkupLine($"scored {report.Images} images: {Markup.Escape(report.Selection)}; {report.Skipped} skipped");
        AnsiConsole.MarkupLine($"accuracy [bold]{F(report.Accuracy)}[/], macro F1 {F(report.MacroF1)}" +
            (report.Top5Accuracy is { } top5 ? $", top-5 accuracy {F(top5)}" : string.Empty));
        var table = new Table().AddColumn("class").AddColumn("precision").AddColumn("recall").AddColumn("F1").AddColumn("support").AddColumn("ROC AUC").AddColumn("PR AUC");
        foreach (var c in report.PerClass)
        {
            table.AddRow(Markup.Escape(c.Name), F(c.Precision), F(c.Recall), F(c.F1), c.Support.ToString(CultureInfo.InvariantCulture), F(c.RocAuc), F(c.PrAuc));
        }

        AnsiConsole.Write(table);
        foreach (var mistake in report.ConfidentMistakes.Take(5))
        {
            AnsiConsole.MarkupLine($"confidently wrong: {Markup.Escape(mistake.Path)}: {Markup.Escape(mistake.TrueClass)} taken for {Markup.Escape(mistake.PredictedClass)} ({F(mistake.Confidence)})");
        }

        AnsiConsole.MarkupLine($"metrics: {Markup.Escape(report.MetricsFile)}");
        AnsiConsole.MarkupLine($"chart: {Markup.Escape(report.ChartFile)}");
    }

    private static string F(double? value) => value is { } v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "n/a";

    /// <summary>The command's inputs, as parsed.</summary>
    public sealed record Request(string ModelDir, string Data, string? Split, int Seed, bool Json, string? Output, string Workspace, int? Threads, string Device);

    /// <summary>The inputs of the trial mode, as parsed (<see cref="Store"/> is the store's location).</summary>
    public sealed record TrialRequest(string Trial, string? Experiment, string Store, bool Json, string? Output, string Workspace, int? Threads, string Device);
}
