using System.Globalization;
using AutoNet.Cli.Prediction;
using AutoNet.Data.Splits;
using AutoNet.Export.Packaging;
using AutoNet.Search.Spaces;
using AutoNet.Store;
using TorchSharp;

namespace AutoNet.Cli;

/// <summary>
/// The model card of an exported trial, filled from what the store remembers about it and its search, and with a test
/// accuracy that the package reproduces: the trial's network scored on its experiment's test split one view per image,
/// fed exactly as the package feeds it. The search's own figure, with flip averaging where it applied, is kept beside
/// it under its own name.
/// </summary>
public static class TrialModelCard
{
    public static async Task<ModelCard> CreateAsync(IExperimentStore store, StoredTrialModel trial, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(trial);
        var experiment = trial.Experiment;
        var summary = (await store.ListExperimentsAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(s => s.Experiment.Id == experiment.Id);
        var split = trial.Data.Split;
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        if (trial.Trial.BestValidationAccuracy is { } validation)
        {
            metrics["validation_accuracy"] = validation;
        }

        AddTestMetrics(trial, metrics, cancellationToken);

        var hyperparameters = SearchSample.FromJson(trial.Trial.HyperparametersJson).Entries
            .ToDictionary(e => e.Key, e => e.Value.ToString(), StringComparer.Ordinal);
        hyperparameters["epochs_trained"] = trial.Trial.EpochsDone.ToString(CultureInfo.InvariantCulture);
        hyperparameters["resolution"] = trial.Resolution.ToString(CultureInfo.InvariantCulture);
        return new ModelCard
        {
            Title = $"{experiment.Name}, trial {trial.Trial.Number}",
            Description = trial.Trial.Role == TrialRole.Final
                ? $"Trial {trial.Trial.Number} of the AutoNet experiment '{experiment.Name}' ({experiment.SearchSpaceName} space): the final training of the search's winner on every training image, weights of its last checkpoint."
                : $"Trial {trial.Trial.Number} of the AutoNet experiment '{experiment.Name}' ({experiment.SearchSpaceName} space), weights of its last checkpoint.",
            DataSet = experiment.DataSource,
            Split = string.Create(CultureInfo.InvariantCulture,
                $"train {split.Count(SplitPart.Train)} / validation {split.Count(SplitPart.Validation)} / test {split.Count(SplitPart.Test)} images, stratified, seed {split.Seed}"),
            Experiment = experiment.Name,
            Trial = trial.Trial.Number.ToString(CultureInfo.InvariantCulture),
            Metrics = metrics,
            Hyperparameters = hyperparameters,
            Search = new ModelSearchSummary
            {
                SearchSpace = experiment.SearchSpaceName,
                Strategy = experiment.Strategy,
                Scheduler = experiment.Scheduler,
                TrialsCompleted = summary is null ? null : (int)summary.Trials.Completed,
                TrialsPruned = summary is null ? null : (int)summary.Trials.Pruned,
                TrialsFailed = summary is null ? null : (int)summary.Trials.Failed,
                Duration = experiment.UpdatedAt - experiment.CreatedAt,
                Device = trial.Trial.Device,
                Seed = experiment.Seed is >= int.MinValue and <= int.MaxValue ? (int)experiment.Seed : null,
                Notes = [$"experiment state: {experiment.State}", $"trial {trial.Trial.Number}: {trial.Trial.State}, {trial.Trial.ParameterCount?.ToString(CultureInfo.InvariantCulture) ?? "?"} parameters"],
            },
        };
    }

    private static void AddTestMetrics(StoredTrialModel trial, Dictionary<string, double> metrics, CancellationToken cancellationToken)
    {
        if (trial.Request.Test is null)
        {
            return;
        }

        // What `autonet predict`, `evaluate <package>`, ONNX Runtime and model.py compute: no test-time augmentation.
        var (pixels, labels, paths) = trial.TestSplit();
        var evaluation = Evaluator.Evaluate(trial.Model, new PackageImageReader(trial.Preprocessing), trial.ClassNames, pixels, labels, paths, torch.CPU,
            cancellationToken: cancellationToken);
        metrics[ModelCard.TestAccuracyMetric] = evaluation.Metrics.Accuracy;
        metrics[ModelCard.TestImagesMetric] = labels.Length;
        if (trial.TestTimeFlip && trial.Trial.TestAccuracy is { } flipAveraged)
        {
            metrics[ModelCard.FlipAveragedTestAccuracyMetric] = flipAveraged;
        }
    }
}
