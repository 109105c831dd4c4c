using System.Text.Json;
using AutoNet.Store;

namespace AutoNet.Store.Reports;

/// <summary>
/// One experiment's column of `autonet compare` and of the dashboard's comparison. Scores are over completed trials (as `autonet experiments` counts them).
/// Training time and epochs count every reported epoch of every trial. Time to target is the training time spent, taking
/// trials in the order they were proposed and each trial's epochs in order, up to the first epoch whose validation accuracy
/// reaches the target; trials to target counts the trials up to and including that one. Training time rather than wall
/// time, because trials run in parallel and the store keeps each epoch's duration, not its clock time.
/// </summary>
public sealed record ExperimentComparison(
    string Name,
    string State,
    string Data,
    string Space,
    string Strategy,
    string Scheduler,
    long Seed,
    JsonElement Budget,
    int Trials,
    int Completed,
    int Pruned,
    int Failed,
    int Unfinished,
    double? BestValidationAccuracy,
    double? MedianValidationAccuracy,
    double? BestTestAccuracy,
    double TrainingSeconds,
    int Epochs,
    bool TargetReached,
    double? SecondsToTarget,
    int? TrialsToTarget,
    int? EpochsToTarget)
{
    /// <param name="epochs">Each trial's epochs by trial id.</param>
    /// <param name="target">The validation accuracy to reach; null when no experiment has a score to aim at.</param>
    public static ExperimentComparison From(Experiment experiment, IReadOnlyList<Trial> trials, IReadOnlyDictionary<long, IReadOnlyList<EpochMetrics>> epochs, double? target)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(epochs);
        var completed = trials.Where(t => t.State == TrialState.Completed).ToList();
        var scores = completed.Where(t => t.BestValidationAccuracy.HasValue).Select(t => t.BestValidationAccuracy!.Value).ToList();
        var tests = completed.Where(t => t.TestAccuracy.HasValue).Select(t => t.TestAccuracy!.Value).ToList();
        double seconds = 0;
        var epochCount = 0;
        (double Seconds, int Trials, int Epochs)? reached = null;
        var ordered = trials.OrderBy(t => t.Number).ToList();
        for (var i = 0; i < ordered.Count; i++)
        {
            foreach (var epoch in epochs.TryGetValue(ordered[i].Id, out var list) ? list.OrderBy(e => e.Epoch) : Enumerable.Empty<EpochMetrics>())
            {
                seconds += epoch.Seconds;
                epochCount++;
                if (reached is null && target is { } goal && epoch.ValidationAccuracy >= goal)
                {
                    reached = (seconds, i + 1, epochCount);
                }
            }
        }

        using var budget = JsonDocument.Parse(experiment.BudgetJson);
        return new ExperimentComparison(experiment.Name, experiment.State.ToString(), experiment.DataSource, experiment.SearchSpaceName, experiment.Strategy,
            experiment.Scheduler, experiment.Seed, budget.RootElement.Clone(), trials.Count, completed.Count,
            trials.Count(t => t.State == TrialState.Pruned), trials.Count(t => t.State == TrialState.Failed),
            trials.Count(t => t.State is TrialState.Waiting or TrialState.Running),
            scores.Count == 0 ? null : scores.Max(), Median(scores), tests.Count == 0 ? null : tests.Max(), seconds, epochCount,
            reached.HasValue, reached?.Seconds, reached?.Trials, reached?.Epochs);
    }

    /// <summary>The middle value, or the mean of the two middle values for an even count; null for none.</summary>
    public static double? Median(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
