using AutoNet.Store;
using AutoNet.Store.Reports;

namespace AutoNet.Cli.Inspection;

/// <summary>What `autonet compare` reports (and its --json writes): the target accuracy, where it came from, and one column per experiment.</summary>
public sealed record Comparison(double? Target, string TargetSource, IReadOnlyList<ExperimentComparison> Experiments)
{
    /// <summary>
    /// Reads the named experiments (each must exist) and compares them. Without <paramref name="target"/>, the target is
    /// the lowest of their best validation accuracies, which every experiment with a completed trial has reached.
    /// </summary>
    public static async Task<Comparison> BuildAsync(IExperimentStore store, IReadOnlyList<string> names, double? target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count < 2)
        {
            throw new CliException($"compare needs at least two experiments; got {names.Count}");
        }

        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
        {
            throw new CliException($"an experiment is named twice: {string.Join(", ", names)}");
        }

        if (target is { } t && !(t is > 0 and <= 1))
        {
            throw new CliException($"--target {t}: expected a validation accuracy in (0, 1], e.g. 0.9");
        }

        var loaded = new List<(Experiment Experiment, IReadOnlyList<Trial> Trials, Dictionary<long, IReadOnlyList<EpochMetrics>> Epochs)>();
        foreach (var name in names)
        {
            var experiment = await CliStore.ExperimentAsync(store, name, cancellationToken).ConfigureAwait(false);
            var trials = await store.ListTrialsAsync(experiment.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
            var epochs = new Dictionary<long, IReadOnlyList<EpochMetrics>>();
            foreach (var trial in trials)
            {
                epochs[trial.Id] = await store.GetEpochMetricsAsync(trial.Id, cancellationToken).ConfigureAwait(false);
            }

            loaded.Add((experiment, trials, epochs));
        }

        var source = "--target";
        if (target is null)
        {
            var bests = loaded.Select(l => l.Trials.Where(t => t.State == TrialState.Completed).Max(t => t.BestValidationAccuracy)).ToList();
            (target, source) = bests.Any(b => b.HasValue)
                ? (bests.Where(b => b.HasValue).Min(), "the lowest best validation accuracy")
                : (null, "none: no experiment has a completed trial");
        }

        return new Comparison(target, source, [.. loaded.Select(l => ExperimentComparison.From(l.Experiment, l.Trials, l.Epochs, target))]);
    }
}
